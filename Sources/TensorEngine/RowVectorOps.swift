/// Row-vector ops on matrices `[rows, columns]` (the last dimension is the column; every leading dimension counts
/// as rows): bias broadcasts and column reductions of the attention layers and the ETF head. Sequential loops in
/// row order, so every sum is reproducible bit for bit.

/// `matrix[r, c] += vector[c]` for every row; `vector` is `[columns]`.
func addRowVectorInPlace(_ matrix: inout Tensor, _ vector: Tensor) {
    let columns = vector.count
    precondition(matrix.rank >= 1 && matrix.shape.last == columns,
                 "addRowVector: vector of \(columns) elements for a matrix \(matrix.shape)")
    let rows = columns == 0 ? 0 : matrix.count / columns
    vector.withUnsafePointer { bias in
        matrix.withUnsafeMutablePointer { target in
            for row in 0..<rows {
                for column in 0..<columns { target[row * columns + column] += bias[column] }
            }
        }
    }
}

/// `[columns]`: `sum_r matrix[r, c]`, rows added in order starting from 0.
func columnSums(_ matrix: Tensor) -> Tensor {
    precondition(matrix.rank >= 1, "columnSums: needs a matrix, got shape \(matrix.shape)")
    let columns = matrix.shape[matrix.rank - 1]
    let rows = columns == 0 ? 0 : matrix.count / columns
    var sums = Tensor.zeros([columns])
    matrix.withUnsafePointer { source in
        sums.withUnsafeMutablePointer { target in
            for row in 0..<rows {
                for column in 0..<columns { target[column] += source[row * columns + column] }
            }
        }
    }
    return sums
}

/// `scale[0] * matrix[r, c] + vector[c]` (the product rounded first, then the sum); `scale` has one element,
/// `vector` is `[columns]`. The result has `matrix`'s shape.
func scaleAddRowVector(_ matrix: Tensor, scale: Tensor, vector: Tensor) -> Tensor {
    let columns = vector.count
    precondition(scale.count == 1, "scaleAddRowVector: scale must have one element, got \(scale.shape)")
    precondition(matrix.rank >= 1 && matrix.shape.last == columns,
                 "scaleAddRowVector: vector of \(columns) elements for a matrix \(matrix.shape)")
    let factor = scale.storage[0]
    var result = Tensor(uninitializedShape: matrix.shape)  // every element written below
    let count = matrix.count
    matrix.withUnsafePointer { source in
        vector.withUnsafePointer { bias in
            result.withUnsafeMutablePointer { target in
                for index in 0..<count { target[index] = factor * source[index] + bias[index % columns] }
            }
        }
    }
    return result
}

/// `[1]`: `sum_i a[i] * b[i]` over all elements (same element count), added in index order starting from 0.
func dot(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.count == b.count, "dot: \(a.count) and \(b.count) elements")
    var sum: Float = 0
    a.withUnsafePointer { x in
        b.withUnsafePointer { y in
            for index in 0..<a.count { sum += x[index] * y[index] }
        }
    }
    return Tensor(shape: [1], storage: [sum])
}
