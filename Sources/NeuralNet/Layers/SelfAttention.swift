import SeededRandom
import TensorEngine

/// Multi-head self-attention as `torch.nn.MultiheadAttention(d, heads, dropout=p, bias=True)` called with the same
/// tokens as query, key and value, no masks, over each sample's `T` tokens separately:
///
///     Q|K|V = X in_proj_weight^T + in_proj_bias                      (in_proj_weight [3d, d])
///     A_h = dropout(softmax(Q_h K_h^T / sqrt(d/heads)))               (per sample and head, [T, T])
///     out = concat_h(A_h V_h) out_proj.weight^T + out_proj.bias      (out_proj [d, d])
///
/// Tokens are `[B*T, d]` row-major (sample-major); so is the output. Dropout on the attention weights takes one
/// mask of `B * heads * T * T` elements from the `DropoutMasks` passed to `forward`.
final class SelfAttention {
    let dimension: Int
    let heads: Int
    let inProjection: Linear
    let outProjection: Linear
    private var cache: Cache?

    private struct Cache {
        var projected: Tensor       // [B*T, 3d]: queries | keys | values
        var attention: Tensor       // [B*heads*T, T] softmax weights before dropout
        var mask: [Float]?          // dropout mask of `attention`
        var batch: Int
        var tokenCount: Int
    }

    init(_ builder: inout LayoutBuilder, name: String, dimension: Int, heads: Int) {
        precondition(dimension % heads == 0, "SelfAttention: \(dimension) is not divisible by \(heads) heads")
        self.dimension = dimension
        self.heads = heads
        inProjection = Linear(&builder, name: "\(name).in_proj", inFeatures: dimension, outFeatures: 3 * dimension,
                              weightName: "\(name).in_proj_weight", biasName: "\(name).in_proj_bias")
        outProjection = Linear(&builder, name: "\(name).out_proj", inFeatures: dimension, outFeatures: dimension)
    }

    /// PyTorch's reset: in-projection Xavier-uniform, its bias 0; out-projection uniform in `(-1/sqrt d, 1/sqrt d)`,
    /// its bias 0.
    func initialize(_ values: UnsafeMutablePointer<Float>, random: inout Xoshiro256StarStar) {
        let d = dimension
        let xavier = (6.0 / Double(4 * d)).squareRoot()
        for index in 0..<(3 * d * d) { values[inProjection.weight + index] = Float((2 * random.uniform() - 1) * xavier) }
        for index in 0..<(3 * d) { values[inProjection.bias + index] = 0 }
        outProjection.initialize(values, random: &random)
        for index in 0..<d { values[outProjection.bias + index] = 0 }
    }

    private var headDimension: Int { dimension / heads }

    /// `tokens [B*T, d]` -> `[B*T, d]`; `dropout` nil in eval mode.
    func forward(_ tokens: [Float], batch: Int, tokenCount: Int, _ state: StateAccess, dropout: (any DropoutMasks)?,
                 cache shouldCache: Bool) -> [Float] {
        let (d, heads, headDimension, t) = (dimension, heads, headDimension, tokenCount)
        precondition(tokens.count == batch * t * d, "SelfAttention: expected \(batch) x \(t) x \(d) tokens")
        let projected = state.backend.tensor(shape: [batch * t, 3 * d],
                               values: inProjection.forward(tokens, rows: batch * t, state, cache: shouldCache))
        var scores = state.backend.zeros([batch * heads * t, t])
        let scale = 1 / Float(headDimension).squareRoot()
        projected.withUnsafePointer { p in
            scores.withUnsafeMutablePointer { s in
                EngineThreads.parallelFor(batch) { sample in
                    for head in 0..<heads {
                        let rows = p + sample * t * 3 * d + head * headDimension
                        state.backend.matmul(rows, rows + d, s + (sample * heads + head) * t * t, m: t, n: t,
                                             k: headDimension, transposeA: false, transposeB: true, alpha: scale,
                                             beta: 0, lda: 3 * d, ldb: 3 * d, ldc: nil, parallel: false)
                    }
                }
            }
        }
        let attention = state.backend.softmaxForward(scores)
        let mask = dropout?.mask(count: attention.count)
        let dropped = state.backend.tensor(shape: attention.shape, values: Dropout.apply(mask, to: attention.storage))
        var concatenated = state.backend.zeros([batch * t, d])
        dropped.withUnsafePointer { a in
            projected.withUnsafePointer { p in
                concatenated.withUnsafeMutablePointer { o in
                    EngineThreads.parallelFor(batch) { sample in
                        for head in 0..<heads {
                            state.backend.matmul(a + (sample * heads + head) * t * t,
                                                 p + sample * t * 3 * d + 2 * d + head * headDimension,
                                                 o + sample * t * d + head * headDimension, m: t, n: headDimension,
                                                 k: t, transposeA: false, transposeB: false, alpha: 1, beta: 0,
                                                 lda: nil, ldb: 3 * d, ldc: d, parallel: false)
                        }
                    }
                }
            }
        }
        cache = shouldCache ? Cache(projected: projected, attention: attention, mask: mask, batch: batch,
                                    tokenCount: t) : nil
        return outProjection.forward(concatenated.storage, rows: batch * t, state, cache: shouldCache)
    }

    /// Accumulates the four parameter gradients from `outputGradient [B*T, d]`; returns the tokens' gradient.
    func backward(_ outputGradient: [Float], _ state: StateAccess) -> [Float] {
        guard let cache else { preconditionFailure("SelfAttention.backward before a caching forward") }
        let (d, heads, headDimension) = (dimension, heads, headDimension)
        let (batch, t) = (cache.batch, cache.tokenCount)
        let concatenatedGradient = state.backend.tensor(shape: [batch * t, d],
                                          values: outProjection.backward(outputGradient, rows: batch * t, state))
        let dropped = state.backend.tensor(shape: cache.attention.shape,
                                           values: Dropout.apply(cache.mask, to: cache.attention.storage))
        // dA' = dO_h V_h^T, dV_h = A'^T dO_h.
        var droppedGradient = state.backend.zeros(cache.attention.shape)
        var projectedGradient = state.backend.zeros([batch * t, 3 * d])
        concatenatedGradient.withUnsafePointer { dO in
            cache.projected.withUnsafePointer { p in
                dropped.withUnsafePointer { a in
                    droppedGradient.withUnsafeMutablePointer { dA in
                        projectedGradient.withUnsafeMutablePointer { dP in
                            EngineThreads.parallelFor(batch) { sample in
                                for head in 0..<heads {
                                    let block = (sample * heads + head) * t * t
                                    let column = head * headDimension
                                    let outputRows = dO + sample * t * d + column
                                    state.backend.matmul(outputRows, p + sample * t * 3 * d + 2 * d + column,
                                                         dA + block, m: t, n: t, k: headDimension, transposeA: false,
                                                         transposeB: true, alpha: 1, beta: 0, lda: d, ldb: 3 * d,
                                                         ldc: nil, parallel: false)
                                    state.backend.matmul(a + block, outputRows,
                                                         dP + sample * t * 3 * d + 2 * d + column, m: t,
                                                         n: headDimension, k: t, transposeA: true, transposeB: false,
                                                         alpha: 1, beta: 0, lda: nil, ldb: d, ldc: 3 * d,
                                                         parallel: false)
                                }
                            }
                        }
                    }
                }
            }
        }
        let attentionGradient = state.backend.tensor(shape: droppedGradient.shape,
                                       values: Dropout.apply(cache.mask, to: droppedGradient.storage))
        let scoreGradient = state.backend.softmaxBackward(outputGradient: attentionGradient, output: cache.attention)
        // dQ_h = scale dS K_h, dK_h = scale dS^T Q_h.
        let scale = 1 / Float(headDimension).squareRoot()
        scoreGradient.withUnsafePointer { dS in
            cache.projected.withUnsafePointer { p in
                projectedGradient.withUnsafeMutablePointer { dP in
                    EngineThreads.parallelFor(batch) { sample in
                        for head in 0..<heads {
                            let block = dS + (sample * heads + head) * t * t
                            let rows = sample * t * 3 * d + head * headDimension
                            state.backend.matmul(block, p + rows + d, dP + rows, m: t, n: headDimension, k: t,
                                                 transposeA: false, transposeB: false, alpha: scale, beta: 0,
                                                 lda: nil, ldb: 3 * d, ldc: 3 * d, parallel: false)
                            state.backend.matmul(block, p + rows, dP + rows + d, m: t, n: headDimension, k: t,
                                                 transposeA: true, transposeB: false, alpha: scale, beta: 0, lda: nil,
                                                 ldb: 3 * d, ldc: 3 * d, parallel: false)
                        }
                    }
                }
            }
        }
        self.cache = nil
        return inProjection.backward(projectedGradient.storage, rows: batch * t, state)
    }
}
