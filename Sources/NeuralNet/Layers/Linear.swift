import SeededRandom
import TensorEngine

/// Fully connected layer `y = x W^T + b`, weight `<name>.weight` `[out, in]`, bias `<name>.bias` `[out]`
/// (torch.nn.Linear), on row-major matrices `[rows, in] -> [rows, out]` (the backend's linear kernels).
final class Linear {
    let inFeatures: Int
    let outFeatures: Int
    let weight: Int
    let bias: Int
    private var input: Tensor?

    /// Tensors `<name>.weight` and `<name>.bias`, unless `weightName` / `biasName` give other names (e.g.
    /// MultiheadAttention's `in_proj_weight`).
    init(_ builder: inout LayoutBuilder, name: String, inFeatures: Int, outFeatures: Int, weightName: String? = nil,
         biasName: String? = nil) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = builder.add(weightName ?? "\(name).weight", [outFeatures, inFeatures])
        bias = builder.add(biasName ?? "\(name).bias", [outFeatures])
    }

    /// PyTorch's default: weight and bias uniform in `(-1/sqrt(in), 1/sqrt(in))`.
    func initialize(_ values: UnsafeMutablePointer<Float>, random: inout Xoshiro256StarStar) {
        let bound = 1 / Double(inFeatures).squareRoot()
        for index in 0..<(outFeatures * inFeatures) {
            values[weight + index] = Float((2 * random.uniform() - 1) * bound)
        }
        for index in 0..<outFeatures { values[bias + index] = Float((2 * random.uniform() - 1) * bound) }
    }

    func forward(_ x: [Float], rows: Int, _ state: StateAccess, cache: Bool) -> [Float] {
        precondition(x.count == rows * inFeatures, "Linear: expected \(rows) x \(inFeatures) inputs")
        let input = state.backend.tensor(shape: [rows, inFeatures], values: x)
        self.input = cache ? input : nil
        let output = state.backend.linearForward(input: input,
                                                 weight: state.tensor(at: weight, shape: [outFeatures, inFeatures]),
                                                 bias: state.tensor(at: bias, shape: [outFeatures]))
        return state.backend.download(output)
    }

    /// Accumulates `dW += dy^T x`, `db += colsum(dy)`; returns `dx = dy W`.
    func backward(_ outputGradient: [Float], rows: Int, _ state: StateAccess) -> [Float] {
        guard let input else { preconditionFailure("Linear.backward before a caching forward") }
        let gradients = state.backend.linearBackward(
            outputGradient: state.backend.tensor(shape: [rows, outFeatures], values: outputGradient), input: input,
            weight: state.tensor(at: weight, shape: [outFeatures, inFeatures]), hasBias: true)
        state.accumulateGradient(gradients.weight, at: weight)
        if let biasGradient = gradients.bias { state.accumulateGradient(biasGradient, at: bias) }
        self.input = nil
        return state.backend.download(gradients.input)
    }
}
