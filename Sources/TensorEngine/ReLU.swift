/// `max(x, 0)` elementwise, any shape.
func reluForward(_ input: Tensor) -> Tensor {
    var output = input
    reluForwardInPlace(&output)
    return output
}

/// `x = max(x, 0)` in place. Parallel over element ranges (`EngineThreads.parallelElementwise`).
func reluForwardInPlace(_ tensor: inout Tensor) {
    let count = tensor.count
    tensor.withUnsafeMutablePointer { x in
        EngineThreads.parallelElementwise(total: count) { range in
            // Eight lanes at a time (the scalar loop does not vectorise); `max(x, 0)` exactly: NaN stays NaN,
            // -0 becomes +0.
            var index = range.lowerBound
            while index + 8 <= range.upperBound {
                let value = UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(x + index).storeBytes(of: value.replacing(with: 0, where: value .<= 0),
                                                              as: SIMD8<Float>.self)
                index += 8
            }
            while index < range.upperBound { x[index] = max(x[index], 0); index += 1 }
        }
    }
}

/// Backward of ReLU from its OUTPUT: `dx = dy` where `output > 0`, else 0 (the subgradient at 0 is 0, as PyTorch).
func reluBackward(outputGradient: Tensor, output: Tensor) -> Tensor {
    var gradient = outputGradient
    reluBackwardInPlace(gradient: &gradient, output: output)
    return gradient
}

/// `gradient = output > 0 ? gradient : 0` in place. Parallel over element ranges.
func reluBackwardInPlace(gradient: inout Tensor, output: Tensor) {
    precondition(gradient.shape == output.shape, "relu backward: gradient \(gradient.shape) vs output \(output.shape)")
    let count = gradient.count
    output.withUnsafePointer { y in
        gradient.withUnsafeMutablePointer { g in
            EngineThreads.parallelElementwise(total: count) { range in
                var index = range.lowerBound
                while index + 8 <= range.upperBound {
                    let mask = UnsafeRawPointer(y + index).loadUnaligned(as: SIMD8<Float>.self) .> 0
                    let value = UnsafeRawPointer(g + index).loadUnaligned(as: SIMD8<Float>.self)
                    UnsafeMutableRawPointer(g + index).storeBytes(of: value.replacing(with: 0, where: .!mask),
                                                                  as: SIMD8<Float>.self)
                    index += 8
                }
                while index < range.upperBound { g[index] = y[index] > 0 ? g[index] : 0; index += 1 }
            }
        }
    }
}
