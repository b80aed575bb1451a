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
