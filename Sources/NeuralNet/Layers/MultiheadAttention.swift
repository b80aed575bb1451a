import Foundation
import SeededRandom

/// Multi-head attention as `torch.nn.MultiheadAttention(d, heads, bias=True)` without dropout or masks, with one
/// shared set of queries `[K, d]` attending over each sample's tokens `[T, d]`:
///
///     Q = queries Wq^T + bq,  K_b = X_b Wk^T + bk,  V_b = X_b Wv^T + bv     (Wq|Wk|Wv = in_proj_weight [3d, d])
///     head_h = softmax(Q_h K_bh^T / sqrt(d/heads)) V_bh                     (per head, d/heads columns each)
///     out_b = concat_h(head_h) Wo^T + bo                                     (out_proj [d, d])
///
/// Tokens are `[B*T, d]` row-major (sample-major); the output is `[B*K, d]`.
final class MultiheadAttention {
    let dimension: Int
    let heads: Int
    let inProjectionWeight: Int
    let inProjectionBias: Int
    let outProjectionWeight: Int
    let outProjectionBias: Int
    private var cache: (queries: [Float], tokens: [Float], projectedQueries: [Float], keysValues: [Float],
                        attention: [Float], concatenated: [Float], batch: Int, tokenCount: Int, queryCount: Int)?

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
        let weights = UnsafePointer(state.values + inProjectionWeight)
        let biases = UnsafePointer(state.values + inProjectionBias)
        var projected = [Float](repeating: 0, count: queryCount * d)
        var keysValues = [Float](repeating: 0, count: batch * tokenCount * 2 * d)
        for row in 0..<queryCount { for column in 0..<d { projected[row * d + column] = biases[column] } }
        for row in 0..<(batch * tokenCount) {
            for column in 0..<(2 * d) { keysValues[row * 2 * d + column] = biases[d + column] }
        }
        queries.withUnsafeBufferPointer { q in
            projected.withUnsafeMutableBufferPointer { p in
                Gemm.multiply(q.baseAddress!, weights, transposeB: true, into: p.baseAddress!, m: queryCount, n: d,
                              k: d, beta: 1)
            }
        }
        tokens.withUnsafeBufferPointer { x in
            keysValues.withUnsafeMutableBufferPointer { kv in
                Gemm.multiply(x.baseAddress!, weights + d * d, transposeB: true, into: kv.baseAddress!,
                              m: batch * tokenCount, n: 2 * d, k: d, beta: 1)
            }
        }
        var attention = [Float](repeating: 0, count: batch * heads * queryCount * tokenCount)
        var concatenated = [Float](repeating: 0, count: batch * queryCount * d)
        let scale = 1 / Float(headDimension).squareRoot()
        projected.withUnsafeBufferPointer { q in
            keysValues.withUnsafeBufferPointer { kv in
                attention.withUnsafeMutableBufferPointer { a in
                    concatenated.withUnsafeMutableBufferPointer { o in
                        let (q, kv, a, o) = (q.baseAddress!, kv.baseAddress!, a.baseAddress!, o.baseAddress!)
                        Parallel.forEach(batch) { sample in
                            let sampleKV = kv + sample * tokenCount * 2 * d
                            for head in 0..<heads {
                                let scores = a + (sample * heads + head) * queryCount * tokenCount
                                Gemm.multiply(q + head * headDimension, sampleKV + head * headDimension,
                                              transposeB: true, into: scores, m: queryCount, n: tokenCount,
                                              k: headDimension, alpha: scale, lda: d, ldb: 2 * d)
                                for row in 0..<queryCount { Softmax.inPlace(scores + row * tokenCount, tokenCount) }
                                Gemm.multiply(scores, sampleKV + d + head * headDimension,
                                              into: o + sample * queryCount * d + head * headDimension,
                                              m: queryCount, n: headDimension, k: tokenCount, ldb: 2 * d, ldc: d)
                            }
                        }
                    }
                }
            }
        }
        var output = [Float](repeating: 0, count: batch * queryCount * d)
        for row in 0..<(batch * queryCount) {
            for column in 0..<d { output[row * d + column] = state.values[outProjectionBias + column] }
        }
        concatenated.withUnsafeBufferPointer { o in
            output.withUnsafeMutableBufferPointer { target in
                Gemm.multiply(o.baseAddress!, UnsafePointer(state.values + outProjectionWeight), transposeB: true,
                              into: target.baseAddress!, m: batch * queryCount, n: d, k: d, beta: 1)
            }
        }
        cache = shouldCache ? (queries, tokens, projected, keysValues, attention, concatenated, batch, tokenCount,
                               queryCount) : nil
        return output
    }

    /// Accumulates all four parameter gradients from `outputGradient [B*K, d]`; returns the gradients of the
    /// queries `[K, d]` and of the tokens `[B*T, d]`.
    func backward(_ outputGradient: [Float], _ state: StateAccess) -> (queries: [Float], tokens: [Float]) {
        guard let cache else { preconditionFailure("MultiheadAttention.backward before a caching forward") }
        let (d, heads, headDimension) = (dimension, heads, headDimension)
        let (batch, tokenCount, queryCount) = (cache.batch, cache.tokenCount, cache.queryCount)
        let gradients = state.requiredGradients
        let weights = UnsafePointer(state.values + inProjectionWeight)
        var concatenatedGradient = [Float](repeating: 0, count: batch * queryCount * d)
        outputGradient.withUnsafeBufferPointer { dOut in
            cache.concatenated.withUnsafeBufferPointer { o in
                Gemm.multiply(dOut.baseAddress!, transposeA: true, o.baseAddress!, into: gradients + outProjectionWeight,
                              m: d, n: d, k: batch * queryCount, beta: 1)
            }
            concatenatedGradient.withUnsafeMutableBufferPointer { dO in
                Gemm.multiply(dOut.baseAddress!, UnsafePointer(state.values + outProjectionWeight),
                              into: dO.baseAddress!, m: batch * queryCount, n: d, k: d)
            }
        }
        ColumnSum.accumulate(outputGradient, rows: batch * queryCount, columns: d, into: gradients + outProjectionBias)
        let workers = min(batch, Parallel.workerCount)
        var queryGradientParts = [Float](repeating: 0, count: workers * queryCount * d)
        var keysValuesGradient = [Float](repeating: 0, count: batch * tokenCount * 2 * d)
        let scale = 1 / Float(headDimension).squareRoot()
        cache.projectedQueries.withUnsafeBufferPointer { q in
            cache.keysValues.withUnsafeBufferPointer { kv in
                cache.attention.withUnsafeBufferPointer { a in
                    concatenatedGradient.withUnsafeBufferPointer { dO in
                        queryGradientParts.withUnsafeMutableBufferPointer { dQParts in
                            keysValuesGradient.withUnsafeMutableBufferPointer { dKV in
                                let (q, kv, a, dO) = (q.baseAddress!, kv.baseAddress!, a.baseAddress!, dO.baseAddress!)
                                let (dQParts, dKV) = (dQParts.baseAddress!, dKV.baseAddress!)
                                Parallel.forEachRange(batch, workers: workers) { worker, samples in
                                    let scores = UnsafeMutablePointer<Float>.allocate(capacity: queryCount * tokenCount)
                                    defer { scores.deallocate() }
                                    let dQ = dQParts + worker * queryCount * d
                                    for sample in samples {
                                        let sampleKV = kv + sample * tokenCount * 2 * d
                                        let sampleDKV = dKV + sample * tokenCount * 2 * d
                                        let sampleDO = dO + sample * queryCount * d
                                        for head in 0..<heads {
                                            let weightsA = a + (sample * heads + head) * queryCount * tokenCount
                                            let column = head * headDimension
                                            // dA = dO_h V_h^T
                                            Gemm.multiply(sampleDO + column, sampleKV + d + column, transposeB: true,
                                                          into: scores, m: queryCount, n: tokenCount,
                                                          k: headDimension, lda: d, ldb: 2 * d)
                                            // dV_h = A^T dO_h
                                            Gemm.multiply(weightsA, transposeA: true, sampleDO + column,
                                                          into: sampleDKV + d + column, m: tokenCount,
                                                          n: headDimension, k: queryCount, ldb: d, ldc: 2 * d)
                                            for row in 0..<queryCount {
                                                Softmax.backwardInPlace(scores + row * tokenCount,
                                                                        probabilities: weightsA + row * tokenCount,
                                                                        tokenCount)
                                            }
                                            Gemm.multiply(scores, sampleKV + column, into: dQ + column,
                                                          m: queryCount, n: headDimension, k: tokenCount,
                                                          alpha: scale, beta: 1, ldb: 2 * d, ldc: d)
                                            Gemm.multiply(scores, transposeA: true, q + column,
                                                          into: sampleDKV + column, m: tokenCount, n: headDimension,
                                                          k: queryCount, alpha: scale, lda: tokenCount, ldb: d,
                                                          ldc: 2 * d)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var queryGradient = [Float](repeating: 0, count: queryCount * d)
        for worker in 0..<workers {
            for index in queryGradient.indices { queryGradient[index] += queryGradientParts[worker * queryCount * d + index] }
        }
        // In-projection: queries part (rows 0..<d) and keys/values part (rows d..<3d).
        queryGradient.withUnsafeBufferPointer { dQ in
            cache.queries.withUnsafeBufferPointer { input in
                Gemm.multiply(dQ.baseAddress!, transposeA: true, input.baseAddress!,
                              into: gradients + inProjectionWeight, m: d, n: d, k: queryCount, beta: 1)
            }
        }
        keysValuesGradient.withUnsafeBufferPointer { dKV in
            cache.tokens.withUnsafeBufferPointer { x in
                Gemm.multiply(dKV.baseAddress!, transposeA: true, x.baseAddress!,
                              into: gradients + inProjectionWeight + d * d, m: 2 * d, n: d, k: batch * tokenCount,
                              beta: 1)
            }
        }
        ColumnSum.accumulate(queryGradient, rows: queryCount, columns: d, into: gradients + inProjectionBias)
        ColumnSum.accumulate(keysValuesGradient, rows: batch * tokenCount, columns: 2 * d,
                             into: gradients + inProjectionBias + d)
        var inputQueryGradient = [Float](repeating: 0, count: queryCount * d)
        var tokenGradient = [Float](repeating: 0, count: batch * tokenCount * d)
        queryGradient.withUnsafeBufferPointer { dQ in
            inputQueryGradient.withUnsafeMutableBufferPointer { target in
                Gemm.multiply(dQ.baseAddress!, weights, into: target.baseAddress!, m: queryCount, n: d, k: d)
            }
        }
        keysValuesGradient.withUnsafeBufferPointer { dKV in
            tokenGradient.withUnsafeMutableBufferPointer { target in
                Gemm.multiply(dKV.baseAddress!, weights + d * d, into: target.baseAddress!, m: batch * tokenCount,
                              n: d, k: 2 * d)
            }
        }
        self.cache = nil
        return (inputQueryGradient, tokenGradient)
    }
}

/// Row softmax helpers on raw rows.
enum Softmax {
    /// Numerically stable softmax of `count` values in place.
    static func inPlace(_ row: UnsafeMutablePointer<Float>, _ count: Int) {
        var maximum = -Float.infinity
        for index in 0..<count { maximum = max(maximum, row[index]) }
        var sum: Float = 0
        for index in 0..<count {
            row[index] = expf(row[index] - maximum)
            sum += row[index]
        }
        for index in 0..<count { row[index] /= sum }
    }

    /// Turns `dp` (gradient w.r.t. probabilities) into the gradient w.r.t. the logits: `p * (dp - <dp, p>)`.
    static func backwardInPlace(_ gradient: UnsafeMutablePointer<Float>, probabilities: UnsafePointer<Float>,
                                _ count: Int) {
        var dot: Float = 0
        for index in 0..<count { dot += gradient[index] * probabilities[index] }
        for index in 0..<count { gradient[index] = probabilities[index] * (gradient[index] - dot) }
    }
}

/// `target[j] += sum_i matrix[i, j]`.
enum ColumnSum {
    static func accumulate(_ matrix: [Float], rows: Int, columns: Int, into target: UnsafeMutablePointer<Float>) {
        precondition(matrix.count == rows * columns, "ColumnSum: shape mismatch")
        for row in 0..<rows { for column in 0..<columns { target[column] += matrix[row * columns + column] } }
    }
}
