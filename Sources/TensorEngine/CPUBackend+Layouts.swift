/// The CPU convolution with a forced layout, for TensorEngine's tests and `bench-conv` (compare layouts); not part
/// of `EngineBackend`, and visible only to `@_spi(CPUKernels) import TensorEngine` (never NeuralNet). Each `nil`
/// knob is the automatic choice (`Conv2DPlan`); see the internal `conv2dForward(...groupSize:...)` and
/// `conv2dBackward(...groupSize:...)` for what each knob selects.
extension CPUBackend {
    /// `conv2dForward` with images per GEMM (`groupSize`), output rows per band, whole-batch GEMMs, Winograd and
    /// dense-map layouts forced or automatic.
    @_spi(CPUKernels) public func conv2dForward(input: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int,
                               groupSize: Int?, bandRows: Int? = nil, wholeBatch: Bool? = nil, winograd: Bool? = nil,
                               denseMap: Bool? = nil) -> Tensor {
        TensorEngine.conv2dForward(input: input, weight: weight, bias: bias, stride: stride, padding: padding,
                                   groupSize: groupSize, bandRows: bandRows, wholeBatch: wholeBatch,
                                   winograd: winograd, denseMap: denseMap)
    }

    /// `conv2dBackward` with the same knobs plus `transposedInputGradient` (stride-1 input gradient as a
    /// convolution with the flipped, transposed kernel).
    @_spi(CPUKernels) public func conv2dBackward(outputGradient: Tensor, input: Tensor, weight: Tensor, stride: Int, padding: Int,
                                hasBias: Bool, computeInputGradient: Bool, groupSize: Int?, bandRows: Int? = nil,
                                transposedInputGradient: Bool? = nil, wholeBatch: Bool? = nil, winograd: Bool? = nil,
                                denseMap: Bool? = nil) -> Conv2DGradients {
        TensorEngine.conv2dBackward(outputGradient: outputGradient, input: input, weight: weight, stride: stride,
                                    padding: padding, hasBias: hasBias, computeInputGradient: computeInputGradient,
                                    groupSize: groupSize, bandRows: bandRows,
                                    transposedInputGradient: transposedInputGradient, wholeBatch: wholeBatch,
                                    winograd: winograd, denseMap: denseMap)
    }
}
