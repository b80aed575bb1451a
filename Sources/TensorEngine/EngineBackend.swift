/// The seam between NeuralNet and the kernels that run it: tensor creation and every op a layer, head or model
/// calls, with PyTorch's float32 semantics (docs/engine.md, "Ops" and "Backends"). NeuralNet reaches kernels only
/// through a value of this type (the model's `backend`, carried to every layer by its `StateAccess`); the CPU
/// kernels themselves are internal to TensorEngine.
///
/// `CPUBackend` is the only backend today. A new one (CUDA, Metal) implements this protocol, is listed in
/// `EngineBackends.available`, and passes the PyTorch fixture tests, which run once per available backend.
/// A tensor's elements sit behind its `handle`, a `TensorStorage` the backend that made it owns (the CPU's is a
/// host buffer; a device backend subclasses `TensorStorage` and builds tensors with `Tensor(shape:handle:)`).
/// NeuralNet reads values only through `download(_:)` and uploads through `tensor(shape:values:)` (docs/engine.md,
/// "Backends"). No requirement takes a raw pointer.
/// Protocol requirements have no default arguments: callers through `any EngineBackend` pass every argument.
public protocol EngineBackend: Sendable, CustomStringConvertible {
    /// Short name used in test names and benchmark context, e.g. `cpu`.
    var name: String { get }

    // MARK: Storage
    /// A tensor of `shape` filled with zeros, in this backend's storage.
    func zeros(_ shape: [Int]) -> Tensor
    /// A tensor of `shape` holding `values` (row-major, `values.count` = product of `shape`).
    func tensor(shape: [Int], values: [Float]) -> Tensor
    /// The elements of `tensor`, row-major, on the host: the one way NeuralNet reads values (losses' scalars,
    /// predictions, the parameter arena, the `[Float]` its layers still exchange). `tensor(shape:values:)` is the
    /// matching upload.
    func download(_ tensor: Tensor) -> [Float]
    /// `[N, 3, H, W]`: 8-bit NHWC images (1 channel, repeated, or 3) as `byte / 255`.
    func planarImages(fromBytes pixels: [UInt8], count: Int, height: Int, width: Int, channels: Int) -> Tensor

    // MARK: Dense algebra
    /// `alpha * op(A) * op(B)`, `a` `[M,K]` (or `[K,M]` with `transposeA`), `b` `[K,N]` (or `[N,K]`).
    func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, alpha: Float, parallel: Bool) -> Tensor
    /// `c = alpha * op(A) * op(B) + (accumulate ? c : 0)`; `c` must already be `[M,N]`.
    func matmul(_ a: Tensor, _ b: Tensor, into c: inout Tensor, transposeA: Bool, transposeB: Bool, alpha: Float,
                accumulate: Bool, parallel: Bool)
    /// Per sample and head, `C_sh = alpha * op(A_sh) * op(B_sh) + beta * C_sh` on blocks inside `a`, `b`, `c`
    /// (`MatrixBlocks`; the attention layers' per-head products). `cBlocks.sampleStride == 0` sums every sample's
    /// product into one block per head (`beta` 1), bitwise reproducibly for a fixed configuration.
    func batchedMatmul(_ a: Tensor, _ aBlocks: MatrixBlocks, _ b: Tensor, _ bBlocks: MatrixBlocks,
                       into c: inout Tensor, _ cBlocks: MatrixBlocks, samples: Int, heads: Int, m: Int, n: Int,
                       k: Int, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float)
    /// `input [..., in] x weight[out, in]^T + bias[out]`.
    func linearForward(input: Tensor, weight: Tensor, bias: Tensor?) -> Tensor
    func linearBackward(outputGradient: Tensor, input: Tensor, weight: Tensor, hasBias: Bool) -> LinearGradients

    // MARK: Convolution and pooling (NCHW, weights OIHW)
    func conv2dForward(input: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int) -> Tensor
    func conv2dBackward(outputGradient: Tensor, input: Tensor, weight: Tensor, stride: Int, padding: Int,
                        hasBias: Bool, computeInputGradient: Bool) -> Conv2DGradients
    func maxPool2dForward(input: Tensor, kernelSize: Int, stride: Int, padding: Int) -> MaxPool2DForward
    func maxPool2dBackward(outputGradient: Tensor, argmax: [Int32], inputShape: [Int]) -> Tensor
    func globalAveragePoolForward(_ input: Tensor) -> Tensor
    func globalAveragePoolBackward(outputGradient: Tensor, inputShape: [Int]) -> Tensor
    func bilinearResize(_ input: Tensor, height: Int, width: Int) -> Tensor

    // MARK: Normalisation
    func batchNorm2dForwardTraining(input: Tensor, gamma: Tensor, beta: Tensor, runningMean: inout Tensor,
                                    runningVariance: inout Tensor, momentum: Float, epsilon: Float)
        -> BatchNorm2DForward
    func batchNorm2dForwardInference(input: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor,
                                     runningVariance: Tensor, epsilon: Float) -> Tensor
    func batchNorm2dBackward(outputGradient: Tensor, input: Tensor, gamma: Tensor, saved: BatchNorm2DForward)
        -> BatchNorm2DGradients
    func layerNormForward(input: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float) -> LayerNormForward
    func layerNormBackward(outputGradient: Tensor, input: Tensor, gamma: Tensor, saved: LayerNormForward)
        -> LayerNormGradients
    func l2NormalizeRowsForward(_ input: Tensor, epsilon: Float) -> L2NormalizeForward
    func l2NormalizeRowsBackward(outputGradient: Tensor, saved: L2NormalizeForward) -> Tensor
    func cosineSimilarityForward(_ a: Tensor, _ b: Tensor, epsilon: Float) -> CosineSimilarityForward
    func cosineSimilarityBackward(outputGradient: Tensor, saved: CosineSimilarityForward) -> CosineSimilarityGradients

    // MARK: Activations and losses
    func reluForward(_ input: Tensor) -> Tensor
    func reluForwardInPlace(_ tensor: inout Tensor)
    func reluBackward(outputGradient: Tensor, output: Tensor) -> Tensor
    func reluBackwardInPlace(gradient: inout Tensor, output: Tensor)
    func geluForward(_ input: Tensor) -> Tensor
    func geluBackward(outputGradient: Tensor, input: Tensor) -> Tensor
    func sigmoidForward(_ input: Tensor) -> Tensor
    func sigmoidBackward(outputGradient: Tensor, output: Tensor) -> Tensor
    func softmaxForward(_ input: Tensor) -> Tensor
    func softmaxBackward(outputGradient: Tensor, output: Tensor) -> Tensor
    func logSoftmaxForward(_ input: Tensor) -> Tensor
    func logSoftmaxBackward(outputGradient: Tensor, output: Tensor) -> Tensor
    func bceWithLogits(logits: Tensor, targets: Tensor) -> BCEWithLogitsResult
    /// BCE with logits summed in float32 in index order over `included` elements (nil: all), gradient times
    /// `gradientScale`.
    func binaryCrossEntropyTerms(logits: Tensor, targets: Tensor, included: Tensor?, gradientScale: Float)
        -> BinaryCrossEntropyTerms
    /// The positive prototype contrastive loss over `pairs` (feature row, class), with `weight *` its gradients.
    func prototypeContrastive(features: Tensor, prototypes: Tensor, pairs: [FeatureClassPair],
                              inverseTemperature: Float, weight: Float, prototypeGradient: Bool)
        -> PrototypeContrastiveTerms

    // MARK: Elementwise
    func add(_ a: Tensor, _ b: Tensor) -> Tensor
    func addInPlace(_ a: inout Tensor, _ b: Tensor, alpha: Float)
    func addReluInPlace(_ a: inout Tensor, _ b: Tensor)
    func scaleInPlace(_ a: inout Tensor, by factor: Float)
    /// `a * b` elementwise (same element count; `a`'s shape): dropout's mask product.
    func multiply(_ a: Tensor, _ b: Tensor) -> Tensor
    /// `(x - mean[c]) / standardDeviation[c]` per channel of `[B, C, H, W]`, in place.
    func normalizeChannelsInPlace(_ x: inout Tensor, mean: [Float], standardDeviation: [Float])

    // MARK: Row vectors and token layout (matrices `[rows, columns]`, sums in row order)
    /// `matrix[r, c] += vector[c]`.
    func addRowVectorInPlace(_ matrix: inout Tensor, _ vector: Tensor)
    /// `[columns]`: the sum of every row.
    func columnSums(_ matrix: Tensor) -> Tensor
    /// `scale[0] * matrix[r, c] + vector[c]` (`scale` `[1]`).
    func scaleAddRowVector(_ matrix: Tensor, scale: Tensor, vector: Tensor) -> Tensor
    /// `[1]`: `sum_i a[i] * b[i]`, in index order.
    func dot(_ a: Tensor, _ b: Tensor) -> Tensor
    /// `[B, C, H, W] -> [B*H*W, C]`.
    func tokensFromFeatureMap(_ map: Tensor) -> Tensor
    /// `[B*H*W, C] -> [B, C, H, W]`.
    func featureMapFromTokens(_ tokens: Tensor, batch: Int, height: Int, width: Int) -> Tensor

    // MARK: Label tokens (C-Tran)
    /// `[B*(P+K), d]`: each sample's `P` image rows, then `labelEmbedding[k] + stateEmbedding[stateRows[b*K + k]]`.
    func labelTokenSequence(image: Tensor, labelEmbedding: Tensor, stateEmbedding: Tensor, stateRows: [Int],
                            batch: Int) -> Tensor
    /// `[B, K]`: `bias[k] + weight[k] . tokens[b*T + firstLabelRow + k]`.
    func labelReadoutForward(tokens: Tensor, weight: Tensor, bias: Tensor, batch: Int, firstLabelRow: Int) -> Tensor
    /// Its gradients (bias and weight summed over samples in order; the tokens' gradient on the label rows).
    func labelReadoutBackward(outputGradient: Tensor, tokens: Tensor, weight: Tensor, firstLabelRow: Int)
        -> LinearGradients

    // MARK: Optimiser
    /// One AdamW update (`AdamWStep`) of each segment of the flat `parameters`, with `gradients` and the moments
    /// (same element count).
    func adamWUpdate(parameters: inout Tensor, gradients: Tensor, firstMoments: inout Tensor,
                     secondMoments: inout Tensor, segments: [AdamWSegment], step: AdamWStep)
    /// Copies `count` elements of `tensor` from `source` to `destination` (non-overlapping).
    func copyElements(_ tensor: inout Tensor, from source: Int, to destination: Int, count: Int)
}

extension EngineBackend {
    public var description: String { name }
}

/// The backends this build can run. Which one a model uses is chosen by whoever builds it (NeuralNet's model
/// initialisers take a `backend`, default `CPUBackend()`; the trainer picks it in `ModelFactory.engineBackend`).
public enum EngineBackends {
    /// Every backend available in this process, CPU first. Fixture tests run once per entry.
    public static let available: [any EngineBackend] = [CPUBackend()]
}
