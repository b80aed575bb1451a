import Testing
@_spi(CPUKernels) @_spi(HostStorage) import TensorEngine

@Suite("Conv2D dense map (2x2 maps)")
struct DenseMapTests {
    @Test("forward, weight, bias and input gradients match the float64 reference", arguments: [
        (1, 3, 5), (3, 17, 9), (2, 16, 16),
    ])
    func matchesReference(batch: Int, channels: Int, outChannels: Int) {
        var values = TestValues(seed: UInt64(batch * 100 + channels))
        let input = values.tensor([batch, channels, 2, 2])
        let weight = values.tensor([outChannels, channels, 3, 3], scale: 0.5)
        let bias = values.tensor([outChannels])
        let gradient = values.tensor([batch, outChannels, 2, 2])
        let expected = referenceConv2dForward(input: input, weight: weight, bias: bias, stride: 1, padding: 1)
        let reference = referenceConv2dBackward(outputGradient: gradient, input: input, weight: weight, stride: 1,
                                                padding: 1)
        let output = denseMapConv2dForward(input: input, weight: weight, bias: bias)
        #expect(output.shape == expected.shape)
        #expect(maxAbsDifference(output.storage, expected.storage) < 1e-4)
        let backward = denseMapConv2dBackward(outputGradient: gradient, input: input, weight: weight, hasBias: true,
                                              computeInputGradient: true)
        #expect(maxAbsDifference(backward.input!.storage, reference.input!.storage) < 1e-4)
        #expect(maxAbsDifference(backward.weight.storage, reference.weight.storage) < 1e-4)
        #expect(maxAbsDifference(backward.bias!.storage, reference.bias!.storage) < 1e-4)
        let weightOnly = denseMapConv2dBackward(outputGradient: gradient, input: input, weight: weight,
                                                hasBias: false, computeInputGradient: false)
        #expect(weightOnly.input == nil && weightOnly.bias == nil)
        #expect(weightOnly.weight.storage == backward.weight.storage)
    }

    @Test("the public entry points use it for wide 2x2 layers, bitwise deterministic")
    func dispatchedAndDeterministic() {
        var values = TestValues(seed: 22)
        let input = values.tensor([5, 16, 2, 2])
        let weight = values.tensor([24, 16, 3, 3], scale: 0.3)
        let gradient = values.tensor([5, 24, 2, 2])
        let direct = denseMapConv2dForward(input: input, weight: weight, bias: nil)
        #expect(cpu.conv2dForward(input: input, weight: weight, stride: 1, padding: 1).storage == direct.storage)
        #expect(denseMapConv2dForward(input: input, weight: weight, bias: nil).storage == direct.storage)
        let first = cpu.conv2dBackward(outputGradient: gradient, input: input, weight: weight, stride: 1, padding: 1)
        let second = denseMapConv2dBackward(outputGradient: gradient, input: input, weight: weight, hasBias: false,
                                            computeInputGradient: true)
        #expect(first.weight.storage == second.weight.storage)
        #expect(first.input?.storage == second.input?.storage)
    }
}
