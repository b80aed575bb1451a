import Foundation

/// GELU, exact erf form (PyTorch's default `approximate="none"`): `y = x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt 2))`.
/// Any shape.
func geluForward(_ input: Tensor) -> Tensor {
    var output = input
    let count = input.count
    output.withUnsafeMutablePointer { y in
        for index in 0..<count {
            let x = y[index]
            y[index] = 0.5 * x * (1 + erff(x * Float(0.5).squareRoot()))
        }
    }
    return output
}

/// Backward of GELU from its INPUT: `dx = dy * (Phi(x) + x * phi(x))`, `phi(x) = exp(-x^2 / 2) / sqrt(2 pi)`.
func geluBackward(outputGradient: Tensor, input: Tensor) -> Tensor {
    precondition(outputGradient.shape == input.shape, "gelu backward: gradient \(outputGradient.shape) vs \(input.shape)")
    var gradient = outputGradient
    let count = input.count
    let inverseSqrtTwoPi = 1 / (2 * Float.pi).squareRoot()
    input.withUnsafePointer { x in
        gradient.withUnsafeMutablePointer { g in
            for index in 0..<count {
                let value = x[index]
                let cdf = 0.5 * (1 + erff(value * Float(0.5).squareRoot()))
                let pdf = expf(-0.5 * value * value) * inverseSqrtTwoPi
                g[index] *= cdf + value * pdf
            }
        }
    }
    return gradient
}

/// Logistic sigmoid `1 / (1 + exp(-x))`, computed without overflow for large |x|. Any shape.
func sigmoidForward(_ input: Tensor) -> Tensor {
    var output = input
    let count = input.count
    output.withUnsafeMutablePointer { y in
        for index in 0..<count { y[index] = stableSigmoid(y[index]) }
    }
    return output
}

/// Backward of the sigmoid from its OUTPUT: `dx = dy * y * (1 - y)`.
func sigmoidBackward(outputGradient: Tensor, output: Tensor) -> Tensor {
    precondition(outputGradient.shape == output.shape, "sigmoid backward: gradient \(outputGradient.shape) vs \(output.shape)")
    var gradient = outputGradient
    let count = output.count
    output.withUnsafePointer { y in
        gradient.withUnsafeMutablePointer { g in
            for index in 0..<count { g[index] *= y[index] * (1 - y[index]) }
        }
    }
    return gradient
}

/// `1 / (1 + exp(-x))` evaluated through `exp(-|x|)` so neither branch overflows.
@inline(__always)
func stableSigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + expf(-x)) }
    let e = expf(x)
    return e / (1 + e)
}
