import Foundation

/// Layer normalisation over the last dimension (torch.nn.LayerNorm, eps 1e-5, elementwise affine): rows of
/// `[rows, features]` are normalised with their own mean and biased variance, then scaled and shifted.
final class LayerNorm {
    let features: Int
    let epsilon: Float = 1e-5
    let weight: Int
    let bias: Int
    private var normalized: [Float] = []
    private var inverseDeviation: [Float] = []

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
        var normalized = [Float](repeating: 0, count: x.count)
        var output = normalized
        var inverse = [Float](repeating: 0, count: rows)
        for row in 0..<rows {
            let range = (row * features)..<((row + 1) * features)
            var sum = 0.0
            for index in range { sum += Double(x[index]) }
            let mean = sum / Double(features)
            var squares = 0.0
            for index in range { squares += (Double(x[index]) - mean) * (Double(x[index]) - mean) }
            let inverseDeviation = Float(1 / (squares / Double(features) + Double(epsilon)).squareRoot())
            inverse[row] = inverseDeviation
            for index in range {
                let hat = (x[index] - Float(mean)) * inverseDeviation
                normalized[index] = hat
                let feature = index - row * features
                output[index] = hat * state.values[weight + feature] + state.values[bias + feature]
            }
        }
        if cache {
            self.normalized = normalized
            inverseDeviation = inverse
        }
        return output
    }

    func backward(_ outputGradient: [Float], rows: Int, _ state: StateAccess) -> [Float] {
        precondition(normalized.count == rows * features, "LayerNorm.backward before a caching forward")
        let gradients = state.requiredGradients
        var inputGradient = [Float](repeating: 0, count: rows * features)
        for row in 0..<rows {
            let base = row * features
            var sumGradient: Float = 0
            var sumProduct: Float = 0
            for feature in 0..<features {
                let g = outputGradient[base + feature]
                gradients[weight + feature] += g * normalized[base + feature]
                gradients[bias + feature] += g
                let scaled = g * state.values[weight + feature]
                sumGradient += scaled
                sumProduct += scaled * normalized[base + feature]
            }
            let n = Float(features)
            for feature in 0..<features {
                let scaled = outputGradient[base + feature] * state.values[weight + feature]
                inputGradient[base + feature] = inverseDeviation[row] / n
                    * (n * scaled - sumGradient - normalized[base + feature] * sumProduct)
            }
        }
        normalized = []
        inverseDeviation = []
        return inputGradient
    }
}

/// Exact GELU `x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2))` (torch.nn.GELU's default) and its derivative
/// `Phi(x) + x phi(x)`.
enum GELU {
    static func forward(_ x: [Float]) -> [Float] {
        x.map { 0.5 * $0 * (1 + erff($0 * 0.70710678118654752)) }
    }

    static func backward(_ outputGradient: [Float], input: [Float]) -> [Float] {
        precondition(outputGradient.count == input.count, "GELU.backward: shape mismatch")
        var result = outputGradient
        for index in result.indices {
            let x = input[index]
            let cdf = 0.5 * (1 + erff(x * 0.70710678118654752))
            let density = expf(-0.5 * x * x) * 0.39894228040143268
            result[index] *= cdf + x * density
        }
        return result
    }
}
