/// The seam between NeuralNet's layers and the kernels that run them: tensor creation and every op a layer,
/// loss or head calls, with the same names, argument labels, shapes and float32 semantics as TensorEngine's free
/// functions (docs/engine.md, "Ops" and "Backends").
///
/// `CPUBackend` is the only backend today. A new one (CUDA, Metal) implements this protocol, is listed in
/// `EngineBackends.available`, and passes the PyTorch fixture tests, which run once per available backend.
/// Tensors stay host `Tensor` values at the seam for now: a device backend uploads inputs and downloads results
/// inside each call until `Tensor` gains a device storage handle (docs/engine.md, "What is not here").
public protocol EngineBackend: Sendable, CustomStringConvertible {
    /// Short name used in test names and benchmark context, e.g. `cpu`.
    var name: String { get }

    // MARK: Storage
    /// A tensor of `shape` filled with zeros, in this backend's storage.
    func zeros(_ shape: [Int]) -> Tensor
    /// A tensor of `shape` holding `values` (row-major, `values.count` = product of `shape`).
    func tensor(shape: [Int], values: [Float]) -> Tensor

    // MARK: Dense algebra
    /// `alpha * op(A) * op(B)`, `a` `[M,K]` (or `[K,M]` with `transposeA`), `b` `[K,N]` (or `[N,K]`).
    func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, alpha: Float, parallel: Bool) -> Tensor
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

    // MARK: Elementwise
    func add(_ a: Tensor, _ b: Tensor) -> Tensor
    func addInPlace(_ a: inout Tensor, _ b: Tensor, alpha: Float)
    func addReluInPlace(_ a: inout Tensor, _ b: Tensor)
    func scaleInPlace(_ a: inout Tensor, by factor: Float)
}

extension EngineBackend {
    public var description: String { name }
}

/// The backends this build can run, and the one layers use.
public enum EngineBackends {
    /// Every backend available in this process, CPU first. Fixture tests run once per entry.
    public static let available: [any EngineBackend] = [CPUBackend()]

    /// The backend layers call: the CPU (the only one today).
    public static let current: any EngineBackend = CPUBackend()
}
