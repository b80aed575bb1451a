/// Elementwise sum `a + b` of two tensors of the same shape (residual connections; the backward passes the
/// output gradient unchanged to both).
func add(_ a: Tensor, _ b: Tensor) -> Tensor {
    var result = a
    addInPlace(&result, b)
    return result
}

/// `a += alpha * b` elementwise (same shape); `alpha` defaults to 1. Parallel over element ranges.
func addInPlace(_ a: inout Tensor, _ b: Tensor, alpha: Float = 1) {
    precondition(a.shape == b.shape, "add: shapes \(a.shape) and \(b.shape) differ")
    let count = a.count
    b.withUnsafePointer { source in
        a.withUnsafeMutablePointer { destination in
            EngineThreads.parallelElementwise(total: count) { range in
                if alpha == 1 {
                    VectorKernels.accumulate(source + range.lowerBound, into: destination + range.lowerBound,
                                             count: range.count)
                } else {
                    for index in range { destination[index] += alpha * source[index] }
                }
            }
        }
    }
}

/// `a = max(0, a + b)` elementwise (same shape): a residual sum followed by ReLU, in one pass (ResNet's
/// BasicBlock). Its backward is `reluBackwardInPlace` from the result, then the gradient goes to both inputs.
/// Parallel over element ranges.
func addReluInPlace(_ a: inout Tensor, _ b: Tensor) {
    precondition(a.shape == b.shape, "addRelu: shapes \(a.shape) and \(b.shape) differ")
    let count = a.count
    b.withUnsafePointer { source in
        a.withUnsafeMutablePointer { destination in
            EngineThreads.parallelElementwise(total: count) { range in
                // Eight lanes at a time; `max(0, s)` exactly: NaN becomes 0, -0 stays -0.
                var index = range.lowerBound
                while index + 8 <= range.upperBound {
                    let sum = UnsafeRawPointer(destination + index).loadUnaligned(as: SIMD8<Float>.self)
                        + UnsafeRawPointer(source + index).loadUnaligned(as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(destination + index).storeBytes(
                        of: sum.replacing(with: 0, where: .!(sum .>= 0)), as: SIMD8<Float>.self)
                    index += 8
                }
                while index < range.upperBound {
                    destination[index] = max(0, destination[index] + source[index])
                    index += 1
                }
            }
        }
    }
}

/// `a *= factor` elementwise. Parallel over element ranges.
func scaleInPlace(_ a: inout Tensor, by factor: Float) {
    let count = a.count
    a.withUnsafeMutablePointer { x in
        EngineThreads.parallelElementwise(total: count) { range in
            for index in range { x[index] *= factor }
        }
    }
}
