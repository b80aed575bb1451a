import SeededRandom
import TensorEngine

/// Multi-head attention as `torch.nn.MultiheadAttention(d, heads, bias=True)` without dropout or masks, with one
/// shared set of queries `[K, d]` attending over each sample's tokens `[T, d]`:
///
///     Q = queries Wq^T + bq,  K_b = X_b Wk^T + bk,  V_b = X_b Wv^T + bv     (Wq|Wk|Wv = in_proj_weight [3d, d])
///     head_h = softmax(Q_h K_bh^T / sqrt(d/heads)) V_bh                     (per head, d/heads columns each)
///     out_b = concat_h(head_h) Wo^T + bo                                     (out_proj [d, d])
///
/// Tokens are `[B*T, d]` row-major (sample-major); the output is `[B*K, d]`. Products run on the backend's host
/// `matmul`, parallel over samples; the softmax is the backend's, over all `B * heads * K` rows at once.
final class MultiheadAttention {
    let dimension: Int
    let heads: Int
    let inProjectionWeight: Int
    let inProjectionBias: Int
    let outProjectionWeight: Int
    let outProjectionBias: Int
    private var cache: Cache?

    private struct Cache {
        var queries: Tensor         // [K, d] input queries
        var tokens: Tensor          // [B*T, d]
        var projectedQueries: Tensor  // [K, d]
        var keysValues: Tensor      // [B*T, 2d]: keys | values
        var attention: Tensor       // [B * heads * K, T] softmax weights
        var concatenated: Tensor    // [B*K, d] heads side by side
        var batch: Int
        var tokenCount: Int
    }

    init(_ builder: inout LayoutBuilder, name: String, dimension: Int, heads: Int) {
        precondition(dimension % heads == 0, "MultiheadAttention: \(dimension) is not divisible by \(heads) heads")
        self.dimension = dimension
        self.heads = heads
        inProjectionWeight = builder.add("\(name).in_proj_weight", [3 * dimension, dimension])
        inProjectionBias = builder.add("\(name).in_proj_bias", [3 * dimension])
        outProjectionWeight = builder.add("\(name).out_proj.weight", [dimension, dimension])
        outProjectionBias = builder.add("\(name).out_proj.bias", [dimension])
    }

    /// PyTorch's reset: in-projection Xavier-uniform, biases 0, out-projection uniform in `(-1/sqrt d, 1/sqrt d)`.
    func initialize(_ values: UnsafeMutablePointer<Float>, random: inout Xoshiro256StarStar) {
        let d = dimension
        let xavier = (6.0 / Double(4 * d)).squareRoot()
        for index in 0..<(3 * d * d) { values[inProjectionWeight + index] = Float((2 * random.uniform() - 1) * xavier) }
        for index in 0..<(3 * d) { values[inProjectionBias + index] = 0 }
        let bound = 1 / Double(d).squareRoot()
        for index in 0..<(d * d) { values[outProjectionWeight + index] = Float((2 * random.uniform() - 1) * bound) }
        for index in 0..<d { values[outProjectionBias + index] = 0 }
    }

    private var headDimension: Int { dimension / heads }

    /// `queries [K, d]`, `tokens [B*T, d]` -> `[B*K, d]`.
    func forward(queries: [Float], tokens: [Float], batch: Int, tokenCount: Int, _ state: StateAccess,
                 cache shouldCache: Bool) -> [Float] {
        let (d, heads, headDimension) = (dimension, heads, headDimension)
        let queryCount = queries.count / d
        precondition(tokens.count == batch * tokenCount * d, "MultiheadAttention: token shape mismatch")
        let inWeight = state.tensor(at: inProjectionWeight, shape: [3 * d, d])
        let inBias = state.tensor(at: inProjectionBias, shape: [3 * d]).storage
        let queryTensor = state.backend.tensor(shape: [queryCount, d], values: queries)
        let tokenTensor = state.backend.tensor(shape: [batch * tokenCount, d], values: tokens)
        var projected = state.backend.zeros([queryCount, d])
        var keysValues = state.backend.zeros([batch * tokenCount, 2 * d])
        queryTensor.withUnsafePointer { q in
            tokenTensor.withUnsafePointer { x in
                inWeight.withUnsafePointer { w in
                    projected.withUnsafeMutablePointer { p in
                        state.backend.matmul(q, w, p, m: queryCount, n: d, k: d, transposeA: false, transposeB: true,
                                             alpha: 1, beta: 0, lda: nil, ldb: nil, ldc: nil, parallel: false)
                    }
                    keysValues.withUnsafeMutablePointer { kv in
                        state.backend.matmul(x, w + d * d, kv, m: batch * tokenCount, n: 2 * d, k: d,
                                             transposeA: false, transposeB: true, alpha: 1, beta: 0, lda: nil,
                                             ldb: nil, ldc: nil, parallel: true)
                    }
                }
            }
        }
        Self.addRowBias(&projected, inBias, from: 0)
        Self.addRowBias(&keysValues, inBias, from: d)
        let scale = 1 / Float(headDimension).squareRoot()
        var scores = state.backend.zeros([batch * heads * queryCount, tokenCount])
        projected.withUnsafePointer { q in
            keysValues.withUnsafePointer { kv in
                scores.withUnsafeMutablePointer { s in
                    EngineThreads.parallelFor(batch) { sample in
                        for head in 0..<heads {
                            state.backend.matmul(q + head * headDimension,
                                                 kv + sample * tokenCount * 2 * d + head * headDimension,
                                                 s + (sample * heads + head) * queryCount * tokenCount, m: queryCount,
                                                 n: tokenCount, k: headDimension, transposeA: false, transposeB: true,
                                                 alpha: scale, beta: 0, lda: d, ldb: 2 * d, ldc: nil, parallel: false)
                        }
                    }
                }
            }
        }
        let attention = state.backend.softmaxForward(scores)
        var concatenated = state.backend.zeros([batch * queryCount, d])
        attention.withUnsafePointer { a in
            keysValues.withUnsafePointer { kv in
                concatenated.withUnsafeMutablePointer { o in
                    EngineThreads.parallelFor(batch) { sample in
                        for head in 0..<heads {
                            state.backend.matmul(a + (sample * heads + head) * queryCount * tokenCount,
                                                 kv + sample * tokenCount * 2 * d + d + head * headDimension,
                                                 o + sample * queryCount * d + head * headDimension, m: queryCount,
                                                 n: headDimension, k: tokenCount, transposeA: false,
                                                 transposeB: false, alpha: 1, beta: 0, lda: nil, ldb: 2 * d, ldc: d,
                                                 parallel: false)
                        }
                    }
                }
            }
        }
        let output = state.backend.linearForward(input: concatenated,
                                                 weight: state.tensor(at: outProjectionWeight, shape: [d, d]),
                                                 bias: state.tensor(at: outProjectionBias, shape: [d]))
        cache = shouldCache ? Cache(queries: queryTensor, tokens: tokenTensor, projectedQueries: projected,
                                    keysValues: keysValues, attention: attention, concatenated: concatenated,
                                    batch: batch, tokenCount: tokenCount) : nil
        return output.storage
    }

    /// Accumulates all four parameter gradients from `outputGradient [B*K, d]`; returns the gradients of the
    /// queries `[K, d]` and of the tokens `[B*T, d]`.
    func backward(_ outputGradient: [Float], _ state: StateAccess) -> (queries: [Float], tokens: [Float]) {
        guard let cache else { preconditionFailure("MultiheadAttention.backward before a caching forward") }
        let (d, heads, headDimension) = (dimension, heads, headDimension)
        let (batch, tokenCount) = (cache.batch, cache.tokenCount)
        let queryCount = cache.queries.shape[0]
        let outGradients = state.backend.linearBackward(
            outputGradient: state.backend.tensor(shape: [batch * queryCount, d], values: outputGradient),
            input: cache.concatenated, weight: state.tensor(at: outProjectionWeight, shape: [d, d]), hasBias: true)
        state.accumulateGradient(outGradients.weight, at: outProjectionWeight)
        if let biasGradient = outGradients.bias { state.accumulateGradient(biasGradient, at: outProjectionBias) }
        let concatenatedGradient = outGradients.input
        // dA = dO_h V_h^T and dV_h = A^T dO_h, per sample and head.
        var attentionGradient = state.backend.zeros(cache.attention.shape)
        var keysValuesGradient = state.backend.zeros([batch * tokenCount, 2 * d])
        concatenatedGradient.withUnsafePointer { dO in
            cache.keysValues.withUnsafePointer { kv in
                cache.attention.withUnsafePointer { a in
                    attentionGradient.withUnsafeMutablePointer { dA in
                        keysValuesGradient.withUnsafeMutablePointer { dKV in
                            EngineThreads.parallelFor(batch) { sample in
                                for head in 0..<heads {
                                    let block = (sample * heads + head) * queryCount * tokenCount
                                    let column = head * headDimension
                                    let values = kv + sample * tokenCount * 2 * d + d + column
                                    let outputRows = dO + sample * queryCount * d + column
                                    state.backend.matmul(outputRows, values, dA + block, m: queryCount, n: tokenCount,
                                                         k: headDimension, transposeA: false, transposeB: true,
                                                         alpha: 1, beta: 0, lda: d, ldb: 2 * d, ldc: nil,
                                                         parallel: false)
                                    state.backend.matmul(a + block, outputRows,
                                                         dKV + sample * tokenCount * 2 * d + d + column,
                                                         m: tokenCount, n: headDimension, k: queryCount,
                                                         transposeA: true, transposeB: false, alpha: 1, beta: 0,
                                                         lda: nil, ldb: d, ldc: 2 * d, parallel: false)
                                }
                            }
                        }
                    }
                }
            }
        }
        let scoreGradient = state.backend.softmaxBackward(outputGradient: attentionGradient, output: cache.attention)
        // dQ_h += scale dS K_h (summed over samples: per-worker partials), dK_h = scale dS^T Q_h.
        let scale = 1 / Float(headDimension).squareRoot()
        let workers = min(batch, EngineThreads.workerCount)
        var queryGradientParts = state.backend.zeros([workers, queryCount * d])
        scoreGradient.withUnsafePointer { dS in
            cache.keysValues.withUnsafePointer { kv in
                cache.projectedQueries.withUnsafePointer { q in
                    queryGradientParts.withUnsafeMutablePointer { dQParts in
                        keysValuesGradient.withUnsafeMutablePointer { dKV in
                            EngineThreads.parallelChunks(total: batch, chunkCount: workers) { worker, samples in
                                for sample in samples {
                                    for head in 0..<heads {
                                        let block = dS + (sample * heads + head) * queryCount * tokenCount
                                        let column = head * headDimension
                                        state.backend.matmul(block, kv + sample * tokenCount * 2 * d + column,
                                                             dQParts + worker * queryCount * d + column,
                                                             m: queryCount, n: headDimension, k: tokenCount,
                                                             transposeA: false, transposeB: false, alpha: scale,
                                                             beta: 1, lda: nil, ldb: 2 * d, ldc: d, parallel: false)
                                        state.backend.matmul(block, q + column,
                                                             dKV + sample * tokenCount * 2 * d + column,
                                                             m: tokenCount, n: headDimension, k: queryCount,
                                                             transposeA: true, transposeB: false, alpha: scale,
                                                             beta: 0, lda: tokenCount, ldb: d, ldc: 2 * d,
                                                             parallel: false)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var queryGradient = state.backend.zeros([queryCount, d])
        for worker in 0..<workers {
            for index in 0..<(queryCount * d) {
                queryGradient.storage[index] += queryGradientParts.storage[worker * queryCount * d + index]
            }
        }
        // In-projection: rows 0..<d act on the queries, rows d..<3d on the tokens (keys, values).
        let inWeight = state.tensor(at: inProjectionWeight, shape: [3 * d, d])
        var weightGradient = state.backend.zeros([3 * d, d])
        var inputQueryGradient = state.backend.zeros([queryCount, d])
        var tokenGradient = state.backend.zeros([batch * tokenCount, d])
        queryGradient.withUnsafePointer { dQ in
            keysValuesGradient.withUnsafePointer { dKV in
                cache.queries.withUnsafePointer { input in
                    cache.tokens.withUnsafePointer { x in
                        inWeight.withUnsafePointer { w in
                            weightGradient.withUnsafeMutablePointer { dW in
                                state.backend.matmul(dQ, input, dW, m: d, n: d, k: queryCount, transposeA: true,
                                                     transposeB: false, alpha: 1, beta: 0, lda: nil, ldb: nil,
                                                     ldc: nil, parallel: false)
                                state.backend.matmul(dKV, x, dW + d * d, m: 2 * d, n: d, k: batch * tokenCount,
                                                     transposeA: true, transposeB: false, alpha: 1, beta: 0, lda: nil,
                                                     ldb: nil, ldc: nil, parallel: true)
                            }
                            inputQueryGradient.withUnsafeMutablePointer { target in
                                state.backend.matmul(dQ, w, target, m: queryCount, n: d, k: d, transposeA: false,
                                                     transposeB: false, alpha: 1, beta: 0, lda: nil, ldb: nil,
                                                     ldc: nil, parallel: false)
                            }
                            tokenGradient.withUnsafeMutablePointer { target in
                                state.backend.matmul(dKV, w + d * d, target, m: batch * tokenCount, n: d, k: 2 * d,
                                                     transposeA: false, transposeB: false, alpha: 1, beta: 0,
                                                     lda: nil, ldb: nil, ldc: nil, parallel: true)
                            }
                        }
                    }
                }
            }
        }
        state.accumulateGradient(weightGradient, at: inProjectionWeight)
        state.accumulateGradient(Self.columnSums(queryGradient, state.backend), at: inProjectionBias)
        state.accumulateGradient(Self.columnSums(keysValuesGradient, state.backend), at: inProjectionBias + d)
        self.cache = nil
        return (inputQueryGradient.storage, tokenGradient.storage)
    }

    /// Adds `bias[start ..< start + columns]` to every row of `matrix` `[rows, columns]`.
    private static func addRowBias(_ matrix: inout Tensor, _ bias: [Float], from start: Int) {
        let (rows, columns) = (matrix.shape[0], matrix.shape[1])
        for row in 0..<rows {
            for column in 0..<columns { matrix.storage[row * columns + column] += bias[start + column] }
        }
    }

    /// `[columns]`: the sum of every row of `matrix` `[rows, columns]` (a host loop; the result is allocated by
    /// `backend`).
    static func columnSums(_ matrix: Tensor, _ backend: any EngineBackend) -> Tensor {
        let (rows, columns) = (matrix.shape[0], matrix.shape[1])
        var sums = backend.zeros([columns])
        for row in 0..<rows {
            for column in 0..<columns { sums.storage[column] += matrix.storage[row * columns + column] }
        }
        return sums
    }
}
