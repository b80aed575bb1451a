import TensorEngine

/// Layer normalisation over the last dimension (torch.nn.LayerNorm, eps 1e-5, elementwise affine `<name>.weight`,
/// `<name>.bias`): rows of `[rows, features]` are normalised with their own mean and biased variance, then scaled
/// and shifted (the backend's layer-norm kernels).
final class LayerNorm {
    let features: Int
    let weight: Int
    let bias: Int
    private var cache: (input: Tensor, saved: LayerNormForward)?
    /// torch.nn.LayerNorm's default.
    static let epsilon: Float = 1e-5

    init(_ builder: inout LayoutBuilder, name: String, features: Int) {
        self.features = features
        weight = builder.add("\(name).weight", [features])
        bias = builder.add("\(name).bias", [features])
    }

    /// Weight 1, bias 0.
    func initialize(_ values: UnsafeMutablePointer<Float>) {
        for index in 0..<features {
            values[weight + index] = 1
            values[bias + index] = 0
        }
    }

    func forward(_ x: [Float], rows: Int, _ state: StateAccess, cache: Bool) -> [Float] {
        precondition(x.count == rows * features, "LayerNorm: expected \(rows) x \(features) inputs")
        let input = state.backend.tensor(shape: [rows, features], values: x)
        let saved = state.backend.layerNormForward(input: input, gamma: state.tensor(at: weight, shape: [features]),
                                                   beta: state.tensor(at: bias, shape: [features]),
                                                   epsilon: Self.epsilon)
        self.cache = cache ? (input, saved) : nil
        return state.backend.download(saved.output)
    }

    func backward(_ outputGradient: [Float], rows: Int, _ state: StateAccess) -> [Float] {
        guard let cache else { preconditionFailure("LayerNorm.backward before a caching forward") }
        let gradients = state.backend.layerNormBackward(
            outputGradient: state.backend.tensor(shape: [rows, features], values: outputGradient), input: cache.input,
            gamma: state.tensor(at: weight, shape: [features]), saved: cache.saved)
        state.accumulateGradient(gradients.gamma, at: weight)
        state.accumulateGradient(gradients.beta, at: bias)
        self.cache = nil
        return state.backend.download(gradients.input)
    }
}

/// Exact GELU `x * Phi(x)` (torch.nn.GELU's default) on flat arrays, over the backend's kernels.
enum GELU {
    static func forward(_ x: [Float], _ backend: any EngineBackend) -> [Float] {
        backend.download(backend.geluForward(backend.tensor(shape: [x.count], values: x)))
    }

    static func backward(_ outputGradient: [Float], input: [Float], _ backend: any EngineBackend) -> [Float] {
        backend.download(backend.geluBackward(
            outputGradient: backend.tensor(shape: [outputGradient.count], values: outputGradient),
            input: backend.tensor(shape: [input.count], values: input)))
    }
}
