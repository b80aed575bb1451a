import Testing
@_spi(CPUKernels) @_spi(HostStorage) import TensorEngine

@Suite("Winograd F(2x2, 3x3)")
struct WinogradTests {
    struct Case: Sendable, CustomStringConvertible {
        let batch, channels, height, width, outChannels: Int
        var description: String { "N\(batch) C\(channels) \(height)x\(width) -> K\(outChannels)" }
    }

    /// Odd and even sizes, maps smaller than a tile, rows of more than eight tiles (the SIMD path plus a scalar
    /// tail), channel counts that are not multiples of 8, batches of 1 and 3.
    static let cases: [Case] = [
        Case(batch: 1, channels: 3, height: 7, width: 9, outChannels: 5),
        Case(batch: 3, channels: 5, height: 6, width: 6, outChannels: 7),
        Case(batch: 3, channels: 10, height: 5, width: 11, outChannels: 9),
        Case(batch: 1, channels: 17, height: 1, width: 1, outChannels: 3),
        Case(batch: 3, channels: 9, height: 2, width: 3, outChannels: 10),
        Case(batch: 3, channels: 6, height: 18, width: 19, outChannels: 11),
        Case(batch: 1, channels: 13, height: 33, width: 32, outChannels: 12),
        Case(batch: 3, channels: 4, height: 16, width: 34, outChannels: 6),
    ]

    @Test("forward, input and weight gradients match the im2col path and the float64 reference", arguments: cases)
    func matchesIm2colAndReference(c: Case) {
        var values = TestValues(seed: UInt64(c.channels * 1000 + c.height * 10 + c.width))
        let input = values.tensor([c.batch, c.channels, c.height, c.width])
        let weight = values.tensor([c.outChannels, c.channels, 3, 3], scale: 0.5)
        let bias = values.tensor([c.outChannels])
        let gradient = values.tensor([c.batch, c.outChannels, c.height, c.width])
        let expected = referenceConv2dForward(input: input, weight: weight, bias: bias, stride: 1, padding: 1)
        let reference = referenceConv2dBackward(outputGradient: gradient, input: input, weight: weight, stride: 1,
                                                padding: 1)
        let im2col = cpu.conv2dForward(input: input, weight: weight, bias: bias, stride: 1, padding: 1, groupSize: nil,
                                   winograd: false)
        let im2colBackward = cpu.conv2dBackward(outputGradient: gradient, input: input, weight: weight, stride: 1,
                                            padding: 1, hasBias: true, computeInputGradient: true, groupSize: nil,
                                            winograd: false)
        // Tile targets of 1 (one image per group), 7 (groups not dividing the chunk) and the default.
        for tileTarget in [1, 7, nil] as [Int?] {
            let output = winogradConv2dForward(input: input, weight: weight, bias: bias, tileTarget: tileTarget)
            #expect(output.shape == expected.shape)
            #expect(maxAbsDifference(output.storage, expected.storage) < 1e-4, "forward vs reference")
            #expect(maxAbsDifference(output.storage, im2col.storage) < 1e-4, "forward vs im2col")
            let inputGradient = winogradConv2dInputGradient(outputGradient: gradient, weight: weight,
                                                            tileTarget: tileTarget)
            #expect(inputGradient.shape == input.shape)
            #expect(maxAbsDifference(inputGradient.storage, reference.input!.storage) < 1e-4,
                    "input gradient vs reference")
            #expect(maxAbsDifference(inputGradient.storage, im2colBackward.input!.storage) < 1e-4,
                    "input gradient vs im2col")
            // The weight gradient sums over every pixel of the batch: tolerance relative to its scale.
            let parameters = winogradConv2dWeightGradient(outputGradient: gradient, input: input, hasBias: true,
                                                          tileTarget: tileTarget)
            let weightScale = max(1, maxAbs(reference.weight.storage))
            #expect(parameters.weight.shape == weight.shape)
            #expect(maxAbsDifference(parameters.weight.storage, reference.weight.storage) < 1e-5 * weightScale,
                    "weight gradient vs reference")
            #expect(maxAbsDifference(parameters.weight.storage, im2colBackward.weight.storage) < 1e-5 * weightScale,
                    "weight gradient vs im2col")
            #expect(maxAbsDifference(parameters.bias!.storage, reference.bias!.storage) < 1e-5 * weightScale)
        }
        // Through the public entry points: Winograd input gradient, im2col weight and bias gradients.
        let forward = cpu.conv2dForward(input: input, weight: weight, bias: bias, stride: 1, padding: 1, groupSize: nil,
                                    winograd: true)
        #expect(maxAbsDifference(forward.storage, expected.storage) < 1e-4)
        let backward = cpu.conv2dBackward(outputGradient: gradient, input: input, weight: weight, stride: 1, padding: 1,
                                      hasBias: true, computeInputGradient: true, groupSize: nil, winograd: true)
        #expect(maxAbsDifference(backward.input!.storage, reference.input!.storage) < 1e-4)
        let scale = max(1, maxAbs(reference.weight.storage))
        #expect(maxAbsDifference(backward.weight.storage, reference.weight.storage) < 1e-5 * scale)
        #expect(maxAbsDifference(backward.bias!.storage, reference.bias!.storage) < 1e-5 * scale)
        let weightOnly = cpu.conv2dBackward(outputGradient: gradient, input: input, weight: weight, stride: 1,
                                        padding: 1, hasBias: false, computeInputGradient: false, groupSize: nil,
                                        winograd: true)
        #expect(weightOnly.input == nil && weightOnly.bias == nil)
        #expect(weightOnly.weight.storage == backward.weight.storage)
    }

    /// ResNet-like channel counts: the error against the float64 reference stays within 2e-5 relative to the
    /// largest magnitude of each result.
    @Test("64-channel layer: error against the float64 reference within 2e-5 of the result's scale")
    func wideLayerAccuracy() {
        var values = TestValues(seed: 64)
        let input = values.tensor([2, 64, 12, 10])
        let weight = values.tensor([40, 64, 3, 3], scale: 0.1)
        let gradient = values.tensor([2, 40, 12, 10])
        let expected = referenceConv2dForward(input: input, weight: weight, bias: nil, stride: 1, padding: 1)
        let reference = referenceConv2dBackward(outputGradient: gradient, input: input, weight: weight, stride: 1,
                                                padding: 1)
        let output = winogradConv2dForward(input: input, weight: weight, bias: nil)
        let inputGradient = winogradConv2dInputGradient(outputGradient: gradient, weight: weight)
        #expect(maxAbsDifference(output.storage, expected.storage) <= 2e-5 * maxAbs(expected.storage))
        #expect(maxAbsDifference(inputGradient.storage, reference.input!.storage)
                <= 2e-5 * maxAbs(reference.input!.storage))
        let weightGradient = winogradConv2dWeightGradient(outputGradient: gradient, input: input, hasBias: false).weight
        #expect(maxAbsDifference(weightGradient.storage, reference.weight.storage)
                <= 2e-5 * maxAbs(reference.weight.storage))
    }

    @Test("bitwise deterministic, and the automatic choice uses Winograd only for wide 3x3 stride-1 layers")
    func deterministicAndDispatched() {
        var values = TestValues(seed: 9)
        let input = values.tensor([5, 16, 9, 8])
        let weight = values.tensor([16, 16, 3, 3], scale: 0.3)
        let gradient = values.tensor([5, 16, 9, 8])
        let first = winogradConv2dForward(input: input, weight: weight, bias: nil)
        let second = winogradConv2dForward(input: input, weight: weight, bias: nil)
        #expect(first.storage == second.storage)
        let firstGradient = winogradConv2dInputGradient(outputGradient: gradient, weight: weight)
        let secondGradient = winogradConv2dInputGradient(outputGradient: gradient, weight: weight)
        #expect(firstGradient.storage == secondGradient.storage)
        let firstWeight = winogradConv2dWeightGradient(outputGradient: gradient, input: input, hasBias: true)
        let secondWeight = winogradConv2dWeightGradient(outputGradient: gradient, input: input, hasBias: true)
        #expect(firstWeight.weight.storage == secondWeight.weight.storage)
        #expect(firstWeight.bias?.storage == secondWeight.bias?.storage)
        // The public entry points pick Winograd for this 16-channel 3x3 stride-1 padding-1 layer.
        let automatic = cpu.conv2dForward(input: input, weight: weight, stride: 1, padding: 1)
        #expect(automatic.storage == first.storage)
        let automaticBackward = cpu.conv2dBackward(outputGradient: gradient, input: input, weight: weight, stride: 1,
                                               padding: 1)
        #expect(automaticBackward.input?.storage == firstGradient.storage)
        #expect(automaticBackward.weight.storage == winogradConv2dWeightGradient(
            outputGradient: gradient, input: input, hasBias: false).weight.storage)
    }
}
