import Foundation

/// Softmax over the last dimension: `y_i = exp(x_i - max) / sum_j exp(x_j - max)`. Any shape of rank >= 1.
func softmaxForward(_ input: Tensor) -> Tensor {
    rowwise(input) { source, destination, width in
        var largest = -Float.infinity
        for index in 0..<width { largest = max(largest, source[index]) }
        var total: Float = 0
        for index in 0..<width {
            let e = expf(source[index] - largest)
            destination[index] = e
            total += e
        }
        let inverse = 1 / total
        for index in 0..<width { destination[index] *= inverse }
    }
}

/// Backward of softmax from its OUTPUT: `dx = y * (dy - sum_j dy_j * y_j)` per row.
func softmaxBackward(outputGradient: Tensor, output: Tensor) -> Tensor {
    precondition(outputGradient.shape == output.shape, "softmax backward: gradient \(outputGradient.shape) vs \(output.shape)")
    return rowwise(outputGradient, output) { g, y, destination, width in
        let inner = VectorKernels.dot(g, y, width)
        for index in 0..<width { destination[index] = y[index] * (g[index] - inner) }
    }
}

/// Log-softmax over the last dimension: `y_i = x_i - max - log(sum_j exp(x_j - max))`.
func logSoftmaxForward(_ input: Tensor) -> Tensor {
    rowwise(input) { source, destination, width in
        var largest = -Float.infinity
        for index in 0..<width { largest = max(largest, source[index]) }
        var total: Float = 0
        for index in 0..<width { total += expf(source[index] - largest) }
        let shift = largest + logf(total)
        for index in 0..<width { destination[index] = source[index] - shift }
    }
}

/// Backward of log-softmax from its OUTPUT: `dx = dy - exp(y) * sum_j dy_j` per row.
func logSoftmaxBackward(outputGradient: Tensor, output: Tensor) -> Tensor {
    precondition(outputGradient.shape == output.shape, "logSoftmax backward: gradient \(outputGradient.shape) vs \(output.shape)")
    return rowwise(outputGradient, output) { g, y, destination, width in
        let total = VectorKernels.sum(g, width)
        for index in 0..<width { destination[index] = g[index] - expf(y[index]) * total }
    }
}

/// Applies `body(sourceRow, destinationRow, width)` to every row (last dimension) into a new tensor.
private func rowwise(
    _ input: Tensor, _ body: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
) -> Tensor {
    precondition(input.rank >= 1 && input.shape[input.rank - 1] > 0, "softmax: needs a non-empty last dimension")
    let width = input.shape[input.rank - 1]
    var output = Tensor.zeros(input.shape)
    input.withUnsafePointer { x in
        output.withUnsafeMutablePointer { y in
            for row in 0..<(input.count / width) { body(x + row * width, y + row * width, width) }
        }
    }
    return output
}

/// Two-input variant of `rowwise`: `body(firstRow, secondRow, destinationRow, width)`.
private func rowwise(
    _ first: Tensor, _ second: Tensor,
    _ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
) -> Tensor {
    precondition(first.rank >= 1 && first.shape[first.rank - 1] > 0, "softmax: needs a non-empty last dimension")
    let width = first.shape[first.rank - 1]
    var output = Tensor.zeros(first.shape)
    first.withUnsafePointer { a in
        second.withUnsafePointer { b in
            output.withUnsafeMutablePointer { y in
                for row in 0..<(first.count / width) { body(a + row * width, b + row * width, y + row * width, width) }
            }
        }
    }
    return output
}
