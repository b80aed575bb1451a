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

/// Elementwise product `a * b` of two tensors with the same element count (the result has `a`'s shape; dropout
/// applies its mask with it). Parallel over element ranges.
func multiply(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.count == b.count, "multiply: \(a.count) and \(b.count) elements (shapes \(a.shape), \(b.shape))")
    var result = Tensor(uninitializedShape: a.shape)  // every element written below
    let count = a.count
    a.withUnsafePointer { x in
        b.withUnsafePointer { y in
            result.withUnsafeMutablePointer { target in
                EngineThreads.parallelElementwise(total: count) { range in
                    for index in range { target[index] = x[index] * y[index] }
                }
            }
        }
    }
    return result
}

/// `x[b, c, h, w] = (x[b, c, h, w] - mean[c]) / standardDeviation[c]` on `[B, C, H, W]` (ImageNet
/// normalisation), subtraction rounded before the division. Parallel over images.
func normalizeChannelsInPlace(_ x: inout Tensor, mean: [Float], standardDeviation: [Float]) {
    precondition(x.rank == 4 && mean.count == x.shape[1] && standardDeviation.count == x.shape[1],
                 "normalizeChannels: \(mean.count) means, \(standardDeviation.count) deviations for \(x.shape)")
    let (images, channels, plane) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
    x.withUnsafeMutablePointer { values in
        EngineThreads.parallelChunks(total: images) { _, imageRange in
            for image in imageRange {
                for channel in 0..<channels {
                    let start = values + (image * channels + channel) * plane
                    let (mean, deviation) = (mean[channel], standardDeviation[channel])
                    for index in 0..<plane { start[index] = (start[index] - mean) / deviation }
                }
            }
        }
    }
}
