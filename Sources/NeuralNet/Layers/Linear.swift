import SeededRandom

/// Fully connected layer `y = x W^T + b`, weight `[out, in]`, bias `[out]` (torch.nn.Linear), on row-major
/// matrices `[rows, in] -> [rows, out]`.
final class Linear {
    let inFeatures: Int
    let outFeatures: Int
    let weight: Int
    let bias: Int
    private var input: [Float] = []

    init(_ builder: inout LayoutBuilder, name: String, inFeatures: Int, outFeatures: Int) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = builder.add("\(name).weight", [outFeatures, inFeatures])
        bias = builder.add("\(name).bias", [outFeatures])
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
        var output = [Float](repeating: 0, count: rows * outFeatures)
        for row in 0..<rows {
            for column in 0..<outFeatures { output[row * outFeatures + column] = state.values[bias + column] }
        }
        x.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                Gemm.multiply(source.baseAddress!, UnsafePointer(state.values + weight), transposeB: true,
                              into: target.baseAddress!, m: rows, n: outFeatures, k: inFeatures, beta: 1)
            }
        }
        input = cache ? x : []
        return output
    }

    /// Accumulates `dW += dy^T x`, `db += colsum(dy)`; returns `dx = dy W`.
    func backward(_ outputGradient: [Float], rows: Int, _ state: StateAccess) -> [Float] {
        precondition(input.count == rows * inFeatures, "Linear.backward before a caching forward")
        let gradients = state.requiredGradients
        var inputGradient = [Float](repeating: 0, count: rows * inFeatures)
        outputGradient.withUnsafeBufferPointer { gradient in
            input.withUnsafeBufferPointer { source in
                Gemm.multiply(gradient.baseAddress!, transposeA: true, source.baseAddress!,
                              into: gradients + weight, m: outFeatures, n: inFeatures, k: rows, beta: 1)
            }
            inputGradient.withUnsafeMutableBufferPointer { target in
                Gemm.multiply(gradient.baseAddress!, UnsafePointer(state.values + weight), into: target.baseAddress!,
                              m: rows, n: inFeatures, k: outFeatures)
            }
            for row in 0..<rows {
                for column in 0..<outFeatures { gradients[bias + column] += gradient[row * outFeatures + column] }
            }
        }
        input = []
        return inputGradient
    }
}
