/// Rows scaled to unit length and the norms the backward needs.
public struct L2NormalizeForward: Sendable {
    /// `[R, D]`: `x / max(||x||, epsilon)` per row.
    public var output: Tensor
    /// `[R]`: `||x||` per row (before clamping).
    public var norms: Tensor
    /// The clamp used in the forward.
    public var epsilon: Float
}

/// L2-normalises every row (last dimension) like `torch.nn.functional.normalize(x, dim=-1)`:
/// `y = x / max(||x||_2, epsilon)`, epsilon 1e-12 by default. `input` is `[..., D]`.
func l2NormalizeRowsForward(_ input: Tensor, epsilon: Float = 1e-12) -> L2NormalizeForward {
    precondition(input.rank >= 1 && input.shape[input.rank - 1] > 0, "l2Normalize: needs a non-empty last dimension")
    let width = input.shape[input.rank - 1], rows = input.count / width
    var output = Tensor.zeros(input.shape)
    var norms = Tensor.zeros([rows])
    input.withUnsafePointer { x in
        output.withUnsafeMutablePointer { y in
            norms.withUnsafeMutablePointer { n in
                for row in 0..<rows {
                    let source = x + row * width, destination = y + row * width
                    let norm = VectorKernels.dot(source, source, width).squareRoot()
                    n[row] = norm
                    let inverse = 1 / max(norm, epsilon)
                    for index in 0..<width { destination[index] = source[index] * inverse }
                }
            }
        }
    }
    return L2NormalizeForward(output: output, norms: norms, epsilon: epsilon)
}

/// Backward of `l2NormalizeRowsForward`: where `||x|| > epsilon`, `dx = (dy - y * <dy, y>) / ||x||`;
/// where the norm was clamped, `dx = dy / epsilon` (the map is linear there).
func l2NormalizeRowsBackward(outputGradient: Tensor, saved: L2NormalizeForward) -> Tensor {
    precondition(outputGradient.shape == saved.output.shape,
                 "l2Normalize backward: gradient \(outputGradient.shape) vs \(saved.output.shape)")
    let width = saved.output.shape[saved.output.rank - 1], rows = saved.output.count / width
    var inputGradient = Tensor.zeros(saved.output.shape)
    outputGradient.withUnsafePointer { dy in
        saved.output.withUnsafePointer { y in
            inputGradient.withUnsafeMutablePointer { dx in
                for row in 0..<rows {
                    let g = dy + row * width, unit = y + row * width, destination = dx + row * width
                    let norm = saved.norms.storage[row]
                    if norm > saved.epsilon {
                        let inner = VectorKernels.dot(g, unit, width)
                        let inverse = 1 / norm
                        for index in 0..<width { destination[index] = (g[index] - unit[index] * inner) * inverse }
                    } else {
                        let inverse = 1 / saved.epsilon
                        for index in 0..<width { destination[index] = g[index] * inverse }
                    }
                }
            }
        }
    }
    return inputGradient
}

/// Pairwise cosine similarities and the normalised rows the backward needs.
public struct CosineSimilarityForward: Sendable {
    /// `[R, S]`: `cos(a_i, b_j)`.
    public var output: Tensor
    public var normalizedA: L2NormalizeForward
    public var normalizedB: L2NormalizeForward
}

/// Gradients of the cosine-similarity matrix with respect to both inputs.
public struct CosineSimilarityGradients: Sendable {
    /// `[R, D]`.
    public var a: Tensor
    /// `[S, D]`.
    public var b: Tensor
}

/// All pairwise cosine similarities between the rows of `a` `[R, D]` and of `b` `[S, D]`: `[R, S]`, computed as
/// `normalize(a) * normalize(b)^T` with `l2NormalizeRowsForward` (epsilon 1e-12 clamps each norm separately).
func cosineSimilarityForward(_ a: Tensor, _ b: Tensor, epsilon: Float = 1e-12) -> CosineSimilarityForward {
    precondition(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[1],
                 "cosineSimilarity: a \(a.shape) and b \(b.shape) must be [R, D] and [S, D]")
    let normalizedA = l2NormalizeRowsForward(a, epsilon: epsilon)
    let normalizedB = l2NormalizeRowsForward(b, epsilon: epsilon)
    let output = matmul(normalizedA.output, normalizedB.output, transposeB: true)
    return CosineSimilarityForward(output: output, normalizedA: normalizedA, normalizedB: normalizedB)
}

/// Backward of `cosineSimilarityForward`: `dA_hat = dC B_hat`, `dB_hat = dC^T A_hat`, then through each
/// normalisation. `outputGradient` is `[R, S]`.
func cosineSimilarityBackward(outputGradient: Tensor, saved: CosineSimilarityForward) -> CosineSimilarityGradients {
    precondition(outputGradient.shape == saved.output.shape,
                 "cosineSimilarity backward: gradient \(outputGradient.shape) vs \(saved.output.shape)")
    let gradientA = matmul(outputGradient, saved.normalizedB.output)
    let gradientB = matmul(outputGradient, saved.normalizedA.output, transposeA: true)
    return CosineSimilarityGradients(a: l2NormalizeRowsBackward(outputGradient: gradientA, saved: saved.normalizedA),
                                     b: l2NormalizeRowsBackward(outputGradient: gradientB, saved: saved.normalizedB))
}
