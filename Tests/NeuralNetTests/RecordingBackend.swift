import Synchronization
import TensorEngine

/// A test-only second backend: forwards every op to `CPUBackend` and counts how often each op ran (thread-safe, as
/// a backend must be). Proves the seam: a model built on it must give bitwise the CPU's results, and every layer's
/// kernels must show up in `counts`.
final class RecordingBackend: EngineBackend {
    private let wrapped = CPUBackend()
    private let tally = Mutex<[String: Int]>([:])

    var name: String { "recording-cpu" }

    /// How often each op ran so far, by name (`matmul(into:)` for the in-place GEMM form).
    var counts: [String: Int] { tally.withLock { $0 } }

    private func record(_ op: String) {
        tally.withLock { $0[op, default: 0] += 1 }
    }

    func zeros(_ shape: [Int]) -> Tensor {
        record("zeros")
        return wrapped.zeros(shape)
    }

    func tensor(shape: [Int], values: [Float]) -> Tensor {
        record("tensor")
        return wrapped.tensor(shape: shape, values: values)
    }

    func download(_ tensor: Tensor) -> [Float] {
        record("download")
        return wrapped.download(tensor)
    }

    func planarImages(fromBytes pixels: [UInt8], count: Int, height: Int, width: Int, channels: Int) -> Tensor {
        record("planarImages")
        return wrapped.planarImages(fromBytes: pixels, count: count, height: height, width: width,
                                    channels: channels)
    }

    func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, alpha: Float,
                parallel: Bool) -> Tensor {
        record("matmul")
        return wrapped.matmul(a, b, transposeA: transposeA, transposeB: transposeB, alpha: alpha, parallel: parallel)
    }

    func matmul(_ a: Tensor, _ b: Tensor, into c: inout Tensor, transposeA: Bool, transposeB: Bool, alpha: Float,
                accumulate: Bool, parallel: Bool) {
        record("matmul(into:)")
        wrapped.matmul(a, b, into: &c, transposeA: transposeA, transposeB: transposeB, alpha: alpha,
                       accumulate: accumulate, parallel: parallel)
    }

    func batchedMatmul(_ a: Tensor, _ aBlocks: MatrixBlocks, _ b: Tensor, _ bBlocks: MatrixBlocks,
                       into c: inout Tensor, _ cBlocks: MatrixBlocks, samples: Int, heads: Int, m: Int, n: Int,
                       k: Int, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float) {
        record("batchedMatmul")
        wrapped.batchedMatmul(a, aBlocks, b, bBlocks, into: &c, cBlocks, samples: samples, heads: heads, m: m, n: n,
                              k: k, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta)
    }

    func linearForward(input: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        record("linearForward")
        return wrapped.linearForward(input: input, weight: weight, bias: bias)
    }

    func linearBackward(outputGradient: Tensor, input: Tensor, weight: Tensor, hasBias: Bool) -> LinearGradients {
        record("linearBackward")
        return wrapped.linearBackward(outputGradient: outputGradient, input: input, weight: weight, hasBias: hasBias)
    }

    func conv2dForward(input: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int) -> Tensor {
        record("conv2dForward")
        return wrapped.conv2dForward(input: input, weight: weight, bias: bias, stride: stride, padding: padding)
    }

    func conv2dBackward(outputGradient: Tensor, input: Tensor, weight: Tensor, stride: Int, padding: Int,
                        hasBias: Bool, computeInputGradient: Bool) -> Conv2DGradients {
        record("conv2dBackward")
        return wrapped.conv2dBackward(outputGradient: outputGradient, input: input, weight: weight, stride: stride,
                                      padding: padding, hasBias: hasBias, computeInputGradient: computeInputGradient)
    }

    func maxPool2dForward(input: Tensor, kernelSize: Int, stride: Int, padding: Int) -> MaxPool2DForward {
        record("maxPool2dForward")
        return wrapped.maxPool2dForward(input: input, kernelSize: kernelSize, stride: stride, padding: padding)
    }

    func maxPool2dBackward(outputGradient: Tensor, argmax: [Int32], inputShape: [Int]) -> Tensor {
        record("maxPool2dBackward")
        return wrapped.maxPool2dBackward(outputGradient: outputGradient, argmax: argmax, inputShape: inputShape)
    }

    func globalAveragePoolForward(_ input: Tensor) -> Tensor {
        record("globalAveragePoolForward")
        return wrapped.globalAveragePoolForward(input)
    }

    func globalAveragePoolBackward(outputGradient: Tensor, inputShape: [Int]) -> Tensor {
        record("globalAveragePoolBackward")
        return wrapped.globalAveragePoolBackward(outputGradient: outputGradient, inputShape: inputShape)
    }

    func bilinearResize(_ input: Tensor, height: Int, width: Int) -> Tensor {
        record("bilinearResize")
        return wrapped.bilinearResize(input, height: height, width: width)
    }

    func batchNorm2dForwardTraining(input: Tensor, gamma: Tensor, beta: Tensor, runningMean: inout Tensor,
                                    runningVariance: inout Tensor, momentum: Float,
                                    epsilon: Float) -> BatchNorm2DForward {
        record("batchNorm2dForwardTraining")
        return wrapped.batchNorm2dForwardTraining(input: input, gamma: gamma, beta: beta, runningMean: &runningMean,
                                                  runningVariance: &runningVariance, momentum: momentum,
                                                  epsilon: epsilon)
    }

    func batchNorm2dForwardInference(input: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor,
                                     runningVariance: Tensor, epsilon: Float) -> Tensor {
        record("batchNorm2dForwardInference")
        return wrapped.batchNorm2dForwardInference(input: input, gamma: gamma, beta: beta, runningMean: runningMean,
                                                   runningVariance: runningVariance, epsilon: epsilon)
    }

    func batchNorm2dBackward(outputGradient: Tensor, input: Tensor, gamma: Tensor,
                             saved: BatchNorm2DForward) -> BatchNorm2DGradients {
        record("batchNorm2dBackward")
        return wrapped.batchNorm2dBackward(outputGradient: outputGradient, input: input, gamma: gamma, saved: saved)
    }

    func layerNormForward(input: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float) -> LayerNormForward {
        record("layerNormForward")
        return wrapped.layerNormForward(input: input, gamma: gamma, beta: beta, epsilon: epsilon)
    }

    func layerNormBackward(outputGradient: Tensor, input: Tensor, gamma: Tensor,
                           saved: LayerNormForward) -> LayerNormGradients {
        record("layerNormBackward")
        return wrapped.layerNormBackward(outputGradient: outputGradient, input: input, gamma: gamma, saved: saved)
    }

    func l2NormalizeRowsForward(_ input: Tensor, epsilon: Float) -> L2NormalizeForward {
        record("l2NormalizeRowsForward")
        return wrapped.l2NormalizeRowsForward(input, epsilon: epsilon)
    }

    func l2NormalizeRowsBackward(outputGradient: Tensor, saved: L2NormalizeForward) -> Tensor {
        record("l2NormalizeRowsBackward")
        return wrapped.l2NormalizeRowsBackward(outputGradient: outputGradient, saved: saved)
    }

    func cosineSimilarityForward(_ a: Tensor, _ b: Tensor, epsilon: Float) -> CosineSimilarityForward {
        record("cosineSimilarityForward")
        return wrapped.cosineSimilarityForward(a, b, epsilon: epsilon)
    }

    func cosineSimilarityBackward(outputGradient: Tensor,
                                  saved: CosineSimilarityForward) -> CosineSimilarityGradients {
        record("cosineSimilarityBackward")
        return wrapped.cosineSimilarityBackward(outputGradient: outputGradient, saved: saved)
    }

    func reluForward(_ input: Tensor) -> Tensor {
        record("reluForward")
        return wrapped.reluForward(input)
    }

    func reluForwardInPlace(_ tensor: inout Tensor) {
        record("reluForwardInPlace")
        wrapped.reluForwardInPlace(&tensor)
    }

    func reluBackward(outputGradient: Tensor, output: Tensor) -> Tensor {
        record("reluBackward")
        return wrapped.reluBackward(outputGradient: outputGradient, output: output)
    }

    func reluBackwardInPlace(gradient: inout Tensor, output: Tensor) {
        record("reluBackwardInPlace")
        wrapped.reluBackwardInPlace(gradient: &gradient, output: output)
    }

    func geluForward(_ input: Tensor) -> Tensor {
        record("geluForward")
        return wrapped.geluForward(input)
    }

    func geluBackward(outputGradient: Tensor, input: Tensor) -> Tensor {
        record("geluBackward")
        return wrapped.geluBackward(outputGradient: outputGradient, input: input)
    }

    func sigmoidForward(_ input: Tensor) -> Tensor {
        record("sigmoidForward")
        return wrapped.sigmoidForward(input)
    }

    func sigmoidBackward(outputGradient: Tensor, output: Tensor) -> Tensor {
        record("sigmoidBackward")
        return wrapped.sigmoidBackward(outputGradient: outputGradient, output: output)
    }

    func softmaxForward(_ input: Tensor) -> Tensor {
        record("softmaxForward")
        return wrapped.softmaxForward(input)
    }

    func softmaxBackward(outputGradient: Tensor, output: Tensor) -> Tensor {
        record("softmaxBackward")
        return wrapped.softmaxBackward(outputGradient: outputGradient, output: output)
    }

    func logSoftmaxForward(_ input: Tensor) -> Tensor {
        record("logSoftmaxForward")
        return wrapped.logSoftmaxForward(input)
    }

    func logSoftmaxBackward(outputGradient: Tensor, output: Tensor) -> Tensor {
        record("logSoftmaxBackward")
        return wrapped.logSoftmaxBackward(outputGradient: outputGradient, output: output)
    }

    func bceWithLogits(logits: Tensor, targets: Tensor) -> BCEWithLogitsResult {
        record("bceWithLogits")
        return wrapped.bceWithLogits(logits: logits, targets: targets)
    }

    func binaryCrossEntropyTerms(logits: Tensor, targets: Tensor, included: Tensor?,
                                 gradientScale: Float) -> BinaryCrossEntropyTerms {
        record("binaryCrossEntropyTerms")
        return wrapped.binaryCrossEntropyTerms(logits: logits, targets: targets, included: included,
                                               gradientScale: gradientScale)
    }

    func prototypeContrastive(features: Tensor, prototypes: Tensor, pairs: [FeatureClassPair],
                              inverseTemperature: Float, weight: Float,
                              prototypeGradient: Bool) -> PrototypeContrastiveTerms {
        record("prototypeContrastive")
        return wrapped.prototypeContrastive(features: features, prototypes: prototypes, pairs: pairs,
                                            inverseTemperature: inverseTemperature, weight: weight,
                                            prototypeGradient: prototypeGradient)
    }

    func add(_ a: Tensor, _ b: Tensor) -> Tensor {
        record("add")
        return wrapped.add(a, b)
    }

    func addInPlace(_ a: inout Tensor, _ b: Tensor, alpha: Float) {
        record("addInPlace")
        wrapped.addInPlace(&a, b, alpha: alpha)
    }

    func addReluInPlace(_ a: inout Tensor, _ b: Tensor) {
        record("addReluInPlace")
        wrapped.addReluInPlace(&a, b)
    }

    func scaleInPlace(_ a: inout Tensor, by factor: Float) {
        record("scaleInPlace")
        wrapped.scaleInPlace(&a, by: factor)
    }

    func multiply(_ a: Tensor, _ b: Tensor) -> Tensor {
        record("multiply")
        return wrapped.multiply(a, b)
    }

    func normalizeChannelsInPlace(_ x: inout Tensor, mean: [Float], standardDeviation: [Float]) {
        record("normalizeChannelsInPlace")
        wrapped.normalizeChannelsInPlace(&x, mean: mean, standardDeviation: standardDeviation)
    }

    func addRowVectorInPlace(_ matrix: inout Tensor, _ vector: Tensor) {
        record("addRowVectorInPlace")
        wrapped.addRowVectorInPlace(&matrix, vector)
    }

    func columnSums(_ matrix: Tensor) -> Tensor {
        record("columnSums")
        return wrapped.columnSums(matrix)
    }

    func scaleAddRowVector(_ matrix: Tensor, scale: Tensor, vector: Tensor) -> Tensor {
        record("scaleAddRowVector")
        return wrapped.scaleAddRowVector(matrix, scale: scale, vector: vector)
    }

    func dot(_ a: Tensor, _ b: Tensor) -> Tensor {
        record("dot")
        return wrapped.dot(a, b)
    }

    func tokensFromFeatureMap(_ map: Tensor) -> Tensor {
        record("tokensFromFeatureMap")
        return wrapped.tokensFromFeatureMap(map)
    }

    func featureMapFromTokens(_ tokens: Tensor, batch: Int, height: Int, width: Int) -> Tensor {
        record("featureMapFromTokens")
        return wrapped.featureMapFromTokens(tokens, batch: batch, height: height, width: width)
    }

    func labelTokenSequence(image: Tensor, labelEmbedding: Tensor, stateEmbedding: Tensor, stateRows: [Int],
                            batch: Int) -> Tensor {
        record("labelTokenSequence")
        return wrapped.labelTokenSequence(image: image, labelEmbedding: labelEmbedding, stateEmbedding: stateEmbedding,
                                          stateRows: stateRows, batch: batch)
    }

    func labelReadoutForward(tokens: Tensor, weight: Tensor, bias: Tensor, batch: Int, firstLabelRow: Int) -> Tensor {
        record("labelReadoutForward")
        return wrapped.labelReadoutForward(tokens: tokens, weight: weight, bias: bias, batch: batch,
                                           firstLabelRow: firstLabelRow)
    }

    func labelReadoutBackward(outputGradient: Tensor, tokens: Tensor, weight: Tensor,
                              firstLabelRow: Int) -> LinearGradients {
        record("labelReadoutBackward")
        return wrapped.labelReadoutBackward(outputGradient: outputGradient, tokens: tokens, weight: weight,
                                            firstLabelRow: firstLabelRow)
    }

    func adamWUpdate(parameters: inout Tensor, gradients: Tensor, firstMoments: inout Tensor,
                     secondMoments: inout Tensor, segments: [AdamWSegment], step: AdamWStep) {
        record("adamWUpdate")
        wrapped.adamWUpdate(parameters: &parameters, gradients: gradients, firstMoments: &firstMoments,
                            secondMoments: &secondMoments, segments: segments, step: step)
    }

    func copyElements(_ tensor: inout Tensor, from source: Int, to destination: Int, count: Int) {
        record("copyElements")
        wrapped.copyElements(&tensor, from: source, to: destination, count: count)
    }
}
