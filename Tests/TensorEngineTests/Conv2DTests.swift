import Testing
@_spi(CPUKernels) @_spi(HostStorage) import TensorEngine

@Suite("Conv2D")
struct Conv2DTests {
    struct Case: Sendable, CustomStringConvertible {
        let batch, channels, height, width, outChannels, kernel, stride, padding: Int
        var description: String {
            "N\(batch) C\(channels) \(height)x\(width) -> O\(outChannels) k\(kernel) s\(stride) p\(padding)"
        }
    }

    static let cases: [Case] = [
        Case(batch: 1, channels: 3, height: 9, width: 7, outChannels: 4, kernel: 3, stride: 1, padding: 1),
        Case(batch: 3, channels: 2, height: 11, width: 10, outChannels: 5, kernel: 3, stride: 2, padding: 1),
        Case(batch: 3, channels: 3, height: 13, width: 12, outChannels: 4, kernel: 7, stride: 2, padding: 3),
        Case(batch: 3, channels: 6, height: 5, width: 5, outChannels: 3, kernel: 1, stride: 1, padding: 0),
        Case(batch: 2, channels: 4, height: 7, width: 6, outChannels: 5, kernel: 1, stride: 2, padding: 0),
        Case(batch: 1, channels: 2, height: 4, width: 4, outChannels: 2, kernel: 3, stride: 1, padding: 0),
        Case(batch: 5, channels: 3, height: 4, width: 3, outChannels: 4, kernel: 3, stride: 1, padding: 2),
        // Stride-2 rows of more than eight outputs (the SIMD even-column gather and scatter-add of Im2Col).
        Case(batch: 2, channels: 2, height: 9, width: 37, outChannels: 3, kernel: 3, stride: 2, padding: 1),
        Case(batch: 2, channels: 3, height: 5, width: 36, outChannels: 2, kernel: 1, stride: 2, padding: 0),
    ]

    @Test("fast forward and backward match the direct-loop reference", arguments: cases)
    func matchesReference(c: Case) {
        var values = TestValues(seed: UInt64(c.batch * 1000 + c.kernel * 10 + c.stride))
        let input = values.tensor([c.batch, c.channels, c.height, c.width])
        let weight = values.tensor([c.outChannels, c.channels, c.kernel, c.kernel], scale: 0.5)
        let bias = values.tensor([c.outChannels])
        let expected = referenceConv2dForward(input: input, weight: weight, bias: bias, stride: c.stride,
                                              padding: c.padding)
        let gradient = values.tensor(expected.shape)
        let reference = referenceConv2dBackward(outputGradient: gradient, input: input, weight: weight,
                                                stride: c.stride, padding: c.padding)
        // Per-image GEMMs, several images per GEMM, and the automatic choice must all agree with the reference.
        // Per-image GEMMs (whole, or in bands of 1 and 2 output rows), several images per GEMM, and the
        // automatic choice must all agree with the reference.
        let layouts: [(group: Int?, band: Int?)] = [(1, nil), (1, 1), (1, 2), (2, nil), (3, nil), (nil, nil)]
        for (group, band) in layouts {
            let output = cpu.conv2dForward(input: input, weight: weight, bias: bias, stride: c.stride,
                                       padding: c.padding, groupSize: group, bandRows: band)
            #expect(output.shape == expected.shape)
            #expect(maxAbsDifference(output.storage, expected.storage) < 1e-4, "forward, group \(String(describing: group)) band \(String(describing: band))")
            let fast = cpu.conv2dBackward(outputGradient: gradient, input: input, weight: weight, stride: c.stride,
                                      padding: c.padding, hasBias: true, computeInputGradient: true,
                                      groupSize: group, bandRows: band)
            #expect(maxAbsDifference(fast.input?.storage ?? [], reference.input?.storage ?? []) < 1e-4)
            #expect(maxAbsDifference(fast.weight.storage, reference.weight.storage) < 1e-4)
            #expect(maxAbsDifference(fast.bias?.storage ?? [], reference.bias?.storage ?? []) < 1e-4)
            let whole = cpu.conv2dBackward(outputGradient: gradient, input: input, weight: weight, stride: c.stride,
                                       padding: c.padding, hasBias: true, computeInputGradient: true,
                                       groupSize: group, bandRows: band, wholeBatch: true)
            #expect(maxAbsDifference(whole.input?.storage ?? [], reference.input?.storage ?? []) < 1e-4)
            #expect(maxAbsDifference(whole.weight.storage, reference.weight.storage) < 1e-4)
            #expect(maxAbsDifference(whole.bias?.storage ?? [], reference.bias?.storage ?? []) < 1e-4)
            let wholeForward = cpu.conv2dForward(input: input, weight: weight, bias: bias, stride: c.stride,
                                             padding: c.padding, groupSize: group, bandRows: band, wholeBatch: true)
            #expect(maxAbsDifference(wholeForward.storage, expected.storage) < 1e-4)
            for transposed in [false, true] {
                let other = cpu.conv2dBackward(outputGradient: gradient, input: input, weight: weight, stride: c.stride,
                                           padding: c.padding, hasBias: true, computeInputGradient: true,
                                           groupSize: group, bandRows: band, transposedInputGradient: transposed)
                #expect(maxAbsDifference(other.input?.storage ?? [], reference.input?.storage ?? []) < 1e-4)
                #expect(maxAbsDifference(other.weight.storage, reference.weight.storage) < 1e-4)
            }
        }
    }

    @Test("reference backward agrees with central finite differences of the reference forward")
    func referenceGradientIsRight() {
        var values = TestValues(seed: 77)
        let input = values.tensor([2, 2, 5, 4])
        let weight = values.tensor([3, 2, 3, 3], scale: 0.5)
        let bias = values.tensor([3])
        let projection = values.tensor([2, 3, 3, 2]) // stride 2, padding 1 -> 3x2 output
        func loss(_ x: Tensor, _ w: Tensor, _ b: Tensor) -> Double {
            let y = referenceConv2dForward(input: x, weight: w, bias: b, stride: 2, padding: 1)
            return zip(y.storage, projection.storage).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        let analytic = cpu.conv2dBackward(outputGradient: projection, input: input, weight: weight, stride: 2,
                                      padding: 1, hasBias: true)
        let step: Float = 1e-2
        for index in stride(from: 0, to: input.count, by: 3) {
            var plus = input, minus = input
            plus.storage[index] += step
            minus.storage[index] -= step
            let numeric = (loss(plus, weight, bias) - loss(minus, weight, bias)) / Double(2 * step)
            #expect(abs(numeric - Double(analytic.input!.storage[index])) < 2e-3)
        }
        for index in 0..<weight.count {
            var plus = weight, minus = weight
            plus.storage[index] += step
            minus.storage[index] -= step
            let numeric = (loss(input, plus, bias) - loss(input, minus, bias)) / Double(2 * step)
            #expect(abs(numeric - Double(analytic.weight.storage[index])) < 2e-3)
        }
        for index in 0..<bias.count {
            var plus = bias, minus = bias
            plus.storage[index] += step
            minus.storage[index] -= step
            let numeric = (loss(input, weight, plus) - loss(input, weight, minus)) / Double(2 * step)
            #expect(abs(numeric - Double(analytic.bias!.storage[index])) < 2e-3)
        }
    }

    @Test("forward and backward are bitwise deterministic and skip the input gradient on request")
    func deterministic() {
        var values = TestValues(seed: 5)
        let input = values.tensor([7, 8, 8, 8])
        let weight = values.tensor([16, 8, 3, 3])
        let gradient = values.tensor([7, 16, 8, 8])
        let first = cpu.conv2dBackward(outputGradient: gradient, input: input, weight: weight, stride: 1, padding: 1)
        let second = cpu.conv2dBackward(outputGradient: gradient, input: input, weight: weight, stride: 1, padding: 1)
        #expect(first.weight.storage == second.weight.storage)
        #expect(first.input?.storage == second.input?.storage)
        let forward1 = cpu.conv2dForward(input: input, weight: weight, stride: 1, padding: 1)
        let forward2 = cpu.conv2dForward(input: input, weight: weight, stride: 1, padding: 1)
        #expect(forward1.storage == forward2.storage)
        let weightOnly = cpu.conv2dBackward(outputGradient: gradient, input: input, weight: weight, stride: 1,
                                        padding: 1, computeInputGradient: false)
        #expect(weightOnly.input == nil && weightOnly.bias == nil)
        #expect(weightOnly.weight.storage == first.weight.storage)
        // The whole-batch layout (4x4 maps) splits GEMMs over workers; it must repeat bitwise too.
        let small = values.tensor([6, 8, 4, 4]), smallGradient = values.tensor([6, 16, 4, 4])
        let smallFirst = cpu.conv2dBackward(outputGradient: smallGradient, input: small, weight: weight, stride: 1,
                                        padding: 1, hasBias: true)
        let smallSecond = cpu.conv2dBackward(outputGradient: smallGradient, input: small, weight: weight, stride: 1,
                                         padding: 1, hasBias: true)
        #expect(smallFirst.weight.storage == smallSecond.weight.storage)
        #expect(smallFirst.input?.storage == smallSecond.input?.storage)
        #expect(smallFirst.bias?.storage == smallSecond.bias?.storage)
    }

    @Test("automatic layouts (row bands at 32x32, whole batch at 4x4, image groups at 8x8) equal plain per-image GEMMs",
          arguments: [(64, 32, 1), (128, 4, 1), (64, 16, 2), (32, 8, 1)])
    func automaticLayouts(shape: (channels: Int, size: Int, stride: Int)) {
        var values = TestValues(seed: UInt64(shape.channels + shape.size))
        let input = values.tensor([4, shape.channels, shape.size, shape.size])
        let weight = values.tensor([shape.channels, shape.channels, 3, 3], scale: 0.1)
        let plain = cpu.conv2dForward(input: input, weight: weight, bias: nil, stride: shape.stride, padding: 1,
                                  groupSize: 1, bandRows: shape.size)
        let automatic = cpu.conv2dForward(input: input, weight: weight, stride: shape.stride, padding: 1)
        #expect(maxAbsDifference(plain.storage, automatic.storage) < 1e-4)
        let gradient = values.tensor(plain.shape)
        let plainBackward = cpu.conv2dBackward(outputGradient: gradient, input: input, weight: weight,
                                           stride: shape.stride, padding: 1, hasBias: false,
                                           computeInputGradient: true, groupSize: 1, bandRows: shape.size)
        let automaticBackward = cpu.conv2dBackward(outputGradient: gradient, input: input, weight: weight,
                                               stride: shape.stride, padding: 1)
        #expect(maxAbsDifference(plainBackward.weight.storage, automaticBackward.weight.storage)
                < 1e-5 * max(1, maxAbs(plainBackward.weight.storage)))
        #expect(maxAbsDifference(plainBackward.input?.storage ?? [], automaticBackward.input?.storage ?? []) < 1e-4)
    }
}
