import Foundation

/// GELU, exact erf form (PyTorch's default `approximate="none"`): `y = x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt 2))`.
/// Any shape.
public func geluForward(_ input: Tensor) -> Tensor {
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
public func geluBackward(outputGradient: Tensor, input: Tensor) -> Tensor {
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
public func sigmoidForward(_ input: Tensor) -> Tensor {
    var output = input
    let count = input.count
    output.withUnsafeMutablePointer { y in
        for index in 0..<count { y[index] = stableSigmoid(y[index]) }
    }
    return output
}

/// Backward of the sigmoid from its OUTPUT: `dx = dy * y * (1 - y)`.
public func sigmoidBackward(outputGradient: Tensor, output: Tensor) -> Tensor {
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

/// Elementwise sum `a + b` of two tensors of the same shape (residual connections; the backward passes the
/// output gradient unchanged to both).
public func add(_ a: Tensor, _ b: Tensor) -> Tensor {
    var result = a
    addInPlace(&result, b)
    return result
}

/// `a += alpha * b` elementwise (same shape); `alpha` defaults to 1.
public func addInPlace(_ a: inout Tensor, _ b: Tensor, alpha: Float = 1) {
    precondition(a.shape == b.shape, "add: shapes \(a.shape) and \(b.shape) differ")
    let count = a.count
    b.withUnsafePointer { source in
        a.withUnsafeMutablePointer { destination in
            if alpha == 1 {
                for index in 0..<count { destination[index] += source[index] }
            } else {
                for index in 0..<count { destination[index] += alpha * source[index] }
            }
        }
    }
}

/// `a *= factor` elementwise.
public func scaleInPlace(_ a: inout Tensor, by factor: Float) {
    let count = a.count
    a.withUnsafeMutablePointer { x in
        for index in 0..<count { x[index] *= factor }
    }
}
