/// The CPU backend: host storage (`HostBuffer`, a `[Float]`) and TensorEngine's own kernels (oneDNN or OpenBLAS sgemm per
/// `GEMMLibrary`, Winograd and im2col convolutions, SIMD elementwise loops), parallel over `EngineThreads`.
/// Every method forwards to the internal free function of the same name (module-qualified, so it never calls
/// itself); the concrete type keeps the free functions' default arguments for TensorEngine's tests and benchmarks.
public struct CPUBackend: EngineBackend {
    public init() {}

    public var name: String { "cpu" }

    public func zeros(_ shape: [Int]) -> Tensor { Tensor.zeros(shape) }
    public func tensor(shape: [Int], values: [Float]) -> Tensor { Tensor(shape: shape, storage: values) }
    /// The storage itself (shared copy-on-write, no copy).
    public func download(_ tensor: Tensor) -> [Float] { tensor.storage }
    public func planarImages(fromBytes pixels: [UInt8], count: Int, height: Int, width: Int, channels: Int)
        -> Tensor {
        TensorEngine.planarImages(fromBytes: pixels, count: count, height: height, width: width, channels: channels)
    }

    public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
                       alpha: Float = 1, parallel: Bool = false) -> Tensor {
        TensorEngine.matmul(a, b, transposeA: transposeA, transposeB: transposeB, alpha: alpha, parallel: parallel)
    }
    public func matmul(_ a: Tensor, _ b: Tensor, into c: inout Tensor, transposeA: Bool = false,
                       transposeB: Bool = false, alpha: Float = 1, accumulate: Bool = false, parallel: Bool = false) {
        TensorEngine.matmul(a, b, into: &c, transposeA: transposeA, transposeB: transposeB, alpha: alpha,
                            accumulate: accumulate, parallel: parallel)
    }
    public func batchedMatmul(_ a: Tensor, _ aBlocks: MatrixBlocks, _ b: Tensor, _ bBlocks: MatrixBlocks,
                              into c: inout Tensor, _ cBlocks: MatrixBlocks, samples: Int, heads: Int, m: Int,
                              n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false, alpha: Float = 1,
                              beta: Float = 0) {
        TensorEngine.batchedMatmul(a, aBlocks, b, bBlocks, into: &c, cBlocks, samples: samples, heads: heads, m: m,
                                   n: n, k: k, transposeA: transposeA, transposeB: transposeB, alpha: alpha,
                                   beta: beta)
    }
    public func linearForward(input: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
        TensorEngine.linearForward(input: input, weight: weight, bias: bias)
    }
    public func linearBackward(outputGradient: Tensor, input: Tensor, weight: Tensor, hasBias: Bool = true)
        -> LinearGradients {
        TensorEngine.linearBackward(outputGradient: outputGradient, input: input, weight: weight, hasBias: hasBias)
    }

    public func conv2dForward(input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1,
                              padding: Int = 0) -> Tensor {
        TensorEngine.conv2dForward(input: input, weight: weight, bias: bias, stride: stride, padding: padding)
    }
    public func conv2dBackward(outputGradient: Tensor, input: Tensor, weight: Tensor, stride: Int = 1,
                               padding: Int = 0, hasBias: Bool = false, computeInputGradient: Bool = true)
        -> Conv2DGradients {
        TensorEngine.conv2dBackward(outputGradient: outputGradient, input: input, weight: weight, stride: stride,
                                    padding: padding, hasBias: hasBias, computeInputGradient: computeInputGradient)
    }
    public func maxPool2dForward(input: Tensor, kernelSize: Int = 3, stride: Int = 2, padding: Int = 1)
        -> MaxPool2DForward {
        TensorEngine.maxPool2dForward(input: input, kernelSize: kernelSize, stride: stride, padding: padding)
    }
    public func maxPool2dBackward(outputGradient: Tensor, argmax: [Int32], inputShape: [Int]) -> Tensor {
        TensorEngine.maxPool2dBackward(outputGradient: outputGradient, argmax: argmax, inputShape: inputShape)
    }
    public func globalAveragePoolForward(_ input: Tensor) -> Tensor { TensorEngine.globalAveragePoolForward(input) }
    public func globalAveragePoolBackward(outputGradient: Tensor, inputShape: [Int]) -> Tensor {
        TensorEngine.globalAveragePoolBackward(outputGradient: outputGradient, inputShape: inputShape)
    }
    public func bilinearResize(_ input: Tensor, height: Int, width: Int) -> Tensor {
        TensorEngine.bilinearResize(input, height: height, width: width)
    }

    public func batchNorm2dForwardTraining(input: Tensor, gamma: Tensor, beta: Tensor, runningMean: inout Tensor,
                                           runningVariance: inout Tensor, momentum: Float = 0.1,
                                           epsilon: Float = 1e-5) -> BatchNorm2DForward {
        TensorEngine.batchNorm2dForwardTraining(input: input, gamma: gamma, beta: beta, runningMean: &runningMean,
                                                runningVariance: &runningVariance, momentum: momentum,
                                                epsilon: epsilon)
    }
    public func batchNorm2dForwardInference(input: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor,
                                            runningVariance: Tensor, epsilon: Float = 1e-5) -> Tensor {
        TensorEngine.batchNorm2dForwardInference(input: input, gamma: gamma, beta: beta, runningMean: runningMean,
                                                 runningVariance: runningVariance, epsilon: epsilon)
    }
    public func batchNorm2dBackward(outputGradient: Tensor, input: Tensor, gamma: Tensor,
                                    saved: BatchNorm2DForward) -> BatchNorm2DGradients {
        TensorEngine.batchNorm2dBackward(outputGradient: outputGradient, input: input, gamma: gamma, saved: saved)
    }
    public func layerNormForward(input: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float = 1e-5)
        -> LayerNormForward {
        TensorEngine.layerNormForward(input: input, gamma: gamma, beta: beta, epsilon: epsilon)
    }
    public func layerNormBackward(outputGradient: Tensor, input: Tensor, gamma: Tensor, saved: LayerNormForward)
        -> LayerNormGradients {
        TensorEngine.layerNormBackward(outputGradient: outputGradient, input: input, gamma: gamma, saved: saved)
    }
    public func l2NormalizeRowsForward(_ input: Tensor, epsilon: Float = 1e-12) -> L2NormalizeForward {
        TensorEngine.l2NormalizeRowsForward(input, epsilon: epsilon)
    }
    public func l2NormalizeRowsBackward(outputGradient: Tensor, saved: L2NormalizeForward) -> Tensor {
        TensorEngine.l2NormalizeRowsBackward(outputGradient: outputGradient, saved: saved)
    }
    public func cosineSimilarityForward(_ a: Tensor, _ b: Tensor, epsilon: Float = 1e-12) -> CosineSimilarityForward {
        TensorEngine.cosineSimilarityForward(a, b, epsilon: epsilon)
    }
    public func cosineSimilarityBackward(outputGradient: Tensor, saved: CosineSimilarityForward)
        -> CosineSimilarityGradients {
        TensorEngine.cosineSimilarityBackward(outputGradient: outputGradient, saved: saved)
    }

    public func reluForward(_ input: Tensor) -> Tensor { TensorEngine.reluForward(input) }
    public func reluForwardInPlace(_ tensor: inout Tensor) { TensorEngine.reluForwardInPlace(&tensor) }
    public func reluBackward(outputGradient: Tensor, output: Tensor) -> Tensor {
        TensorEngine.reluBackward(outputGradient: outputGradient, output: output)
    }
    public func reluBackwardInPlace(gradient: inout Tensor, output: Tensor) {
        TensorEngine.reluBackwardInPlace(gradient: &gradient, output: output)
    }
    public func geluForward(_ input: Tensor) -> Tensor { TensorEngine.geluForward(input) }
    public func geluBackward(outputGradient: Tensor, input: Tensor) -> Tensor {
        TensorEngine.geluBackward(outputGradient: outputGradient, input: input)
    }
    public func sigmoidForward(_ input: Tensor) -> Tensor { TensorEngine.sigmoidForward(input) }
    public func sigmoidBackward(outputGradient: Tensor, output: Tensor) -> Tensor {
        TensorEngine.sigmoidBackward(outputGradient: outputGradient, output: output)
    }
    public func softmaxForward(_ input: Tensor) -> Tensor { TensorEngine.softmaxForward(input) }
    public func softmaxBackward(outputGradient: Tensor, output: Tensor) -> Tensor {
        TensorEngine.softmaxBackward(outputGradient: outputGradient, output: output)
    }
    public func logSoftmaxForward(_ input: Tensor) -> Tensor { TensorEngine.logSoftmaxForward(input) }
    public func logSoftmaxBackward(outputGradient: Tensor, output: Tensor) -> Tensor {
        TensorEngine.logSoftmaxBackward(outputGradient: outputGradient, output: output)
    }
    public func bceWithLogits(logits: Tensor, targets: Tensor) -> BCEWithLogitsResult {
        TensorEngine.bceWithLogits(logits: logits, targets: targets)
    }
    public func binaryCrossEntropyTerms(logits: Tensor, targets: Tensor, included: Tensor? = nil,
                                        gradientScale: Float = 1) -> BinaryCrossEntropyTerms {
        TensorEngine.binaryCrossEntropyTerms(logits: logits, targets: targets, included: included,
                                             gradientScale: gradientScale)
    }
    public func prototypeContrastive(features: Tensor, prototypes: Tensor, pairs: [FeatureClassPair],
                                     inverseTemperature: Float, weight: Float, prototypeGradient: Bool)
        -> PrototypeContrastiveTerms {
        TensorEngine.prototypeContrastive(features: features, prototypes: prototypes, pairs: pairs,
                                          inverseTemperature: inverseTemperature, weight: weight,
                                          prototypeGradient: prototypeGradient)
    }

    public func add(_ a: Tensor, _ b: Tensor) -> Tensor { TensorEngine.add(a, b) }
    public func addInPlace(_ a: inout Tensor, _ b: Tensor, alpha: Float = 1) {
        TensorEngine.addInPlace(&a, b, alpha: alpha)
    }
    public func addReluInPlace(_ a: inout Tensor, _ b: Tensor) { TensorEngine.addReluInPlace(&a, b) }
    public func scaleInPlace(_ a: inout Tensor, by factor: Float) { TensorEngine.scaleInPlace(&a, by: factor) }
    public func multiply(_ a: Tensor, _ b: Tensor) -> Tensor { TensorEngine.multiply(a, b) }
    public func normalizeChannelsInPlace(_ x: inout Tensor, mean: [Float], standardDeviation: [Float]) {
        TensorEngine.normalizeChannelsInPlace(&x, mean: mean, standardDeviation: standardDeviation)
    }

    public func addRowVectorInPlace(_ matrix: inout Tensor, _ vector: Tensor) {
        TensorEngine.addRowVectorInPlace(&matrix, vector)
    }
    public func columnSums(_ matrix: Tensor) -> Tensor { TensorEngine.columnSums(matrix) }
    public func scaleAddRowVector(_ matrix: Tensor, scale: Tensor, vector: Tensor) -> Tensor {
        TensorEngine.scaleAddRowVector(matrix, scale: scale, vector: vector)
    }
    public func dot(_ a: Tensor, _ b: Tensor) -> Tensor { TensorEngine.dot(a, b) }
    public func tokensFromFeatureMap(_ map: Tensor) -> Tensor { TensorEngine.tokensFromFeatureMap(map) }
    public func featureMapFromTokens(_ tokens: Tensor, batch: Int, height: Int, width: Int) -> Tensor {
        TensorEngine.featureMapFromTokens(tokens, batch: batch, height: height, width: width)
    }

    public func labelTokenSequence(image: Tensor, labelEmbedding: Tensor, stateEmbedding: Tensor, stateRows: [Int],
                                   batch: Int) -> Tensor {
        TensorEngine.labelTokenSequence(image: image, labelEmbedding: labelEmbedding, stateEmbedding: stateEmbedding,
                                        stateRows: stateRows, batch: batch)
    }
    public func labelReadoutForward(tokens: Tensor, weight: Tensor, bias: Tensor, batch: Int, firstLabelRow: Int)
        -> Tensor {
        TensorEngine.labelReadoutForward(tokens: tokens, weight: weight, bias: bias, batch: batch,
                                         firstLabelRow: firstLabelRow)
    }
    public func labelReadoutBackward(outputGradient: Tensor, tokens: Tensor, weight: Tensor, firstLabelRow: Int)
        -> LinearGradients {
        TensorEngine.labelReadoutBackward(outputGradient: outputGradient, tokens: tokens, weight: weight,
                                          firstLabelRow: firstLabelRow)
    }

    public func adamWUpdate(parameters: inout Tensor, gradients: Tensor, firstMoments: inout Tensor,
                            secondMoments: inout Tensor, segments: [AdamWSegment], step: AdamWStep) {
        TensorEngine.adamWUpdate(parameters: &parameters, gradients: gradients, firstMoments: &firstMoments,
                                 secondMoments: &secondMoments, segments: segments, step: step)
    }
    public func copyElements(_ tensor: inout Tensor, from source: Int, to destination: Int, count: Int) {
        TensorEngine.copyElements(&tensor, from: source, to: destination, count: count)
    }
}
