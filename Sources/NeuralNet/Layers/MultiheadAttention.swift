import SeededRandom
import TensorEngine

/// Multi-head attention as `torch.nn.MultiheadAttention(d, heads, bias=True)` without dropout or masks, with one
/// shared set of queries `[K, d]` attending over each sample's tokens `[T, d]`:
///
///     Q = queries Wq^T + bq,  K_b = X_b Wk^T + bk,  V_b = X_b Wv^T + bv     (Wq|Wk|Wv = in_proj_weight [3d, d])
///     head_h = softmax(Q_h K_bh^T / sqrt(d/heads)) V_bh                     (per head, d/heads columns each)
///     out_b = concat_h(head_h) Wo^T + bo                                     (out_proj [d, d])
///
/// Tokens are `[B*T, d]` row-major (sample-major); the output is `[B*K, d]`. Per-head products run on the
/// backend's `batchedMatmul`; the softmax is the backend's, over all `B * heads * K` rows at once.
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

    /// The in-projection's query rows `[d, d]` and key-value rows `[2d, d]`.
    private func inWeights(_ state: StateAccess) -> (queries: Tensor, keysValues: Tensor) {
        let d = dimension
        return (state.tensor(at: inProjectionWeight, shape: [d, d]),
                state.tensor(at: inProjectionWeight + d * d, shape: [2 * d, d]))
    }

    /// Head blocks of the projected queries `[K, d]`, shared by every sample.
    private var queryBlocks: MatrixBlocks {
        MatrixBlocks(sampleStride: 0, headStride: headDimension, rowStride: dimension)
    }

    /// Head blocks of the keys (`part` 0) or values (`part` 1) inside the projected tokens `[B*T, 2d]`.
    private func keyValueBlocks(_ part: Int, tokenCount: Int) -> MatrixBlocks {
        MatrixBlocks(offset: part * dimension, sampleStride: tokenCount * 2 * dimension, headStride: headDimension,
                     rowStride: 2 * dimension)
    }

    /// Head blocks `[K, T]` of the attention weights `[B*heads*K, T]`.
    private func attentionBlocks(queryCount: Int, tokenCount: Int) -> MatrixBlocks {
        MatrixBlocks(sampleStride: heads * queryCount * tokenCount, headStride: queryCount * tokenCount,
                     rowStride: tokenCount)
    }

    /// Head blocks of the concatenated heads `[B*K, d]`.
    private func headOutputBlocks(queryCount: Int) -> MatrixBlocks {
        MatrixBlocks(sampleStride: queryCount * dimension, headStride: headDimension, rowStride: dimension)
    }

    /// `queries [K, d]`, `tokens [B*T, d]` -> `[B*K, d]`.
    func forward(queries: [Float], tokens: [Float], batch: Int, tokenCount: Int, _ state: StateAccess,
                 cache shouldCache: Bool) -> [Float] {
        let (d, heads, headDimension) = (dimension, heads, headDimension)
        let queryCount = queries.count / d
        precondition(tokens.count == batch * tokenCount * d, "MultiheadAttention: token shape mismatch")
        let backend = state.backend
        let weights = inWeights(state)
        let queryTensor = backend.tensor(shape: [queryCount, d], values: queries)
        let tokenTensor = backend.tensor(shape: [batch * tokenCount, d], values: tokens)
        var projected = backend.matmul(queryTensor, weights.queries, transposeA: false, transposeB: true, alpha: 1,
                                       parallel: false)
        var keysValues = backend.matmul(tokenTensor, weights.keysValues, transposeA: false, transposeB: true,
                                        alpha: 1, parallel: true)
        backend.addRowVectorInPlace(&projected, state.tensor(at: inProjectionBias, shape: [d]))
        backend.addRowVectorInPlace(&keysValues, state.tensor(at: inProjectionBias + d, shape: [2 * d]))
        let attentionBlocks = attentionBlocks(queryCount: queryCount, tokenCount: tokenCount)
        // S_bh = scale Q_h K_bh^T.
        var scores = backend.zeros([batch * heads * queryCount, tokenCount])
        backend.batchedMatmul(projected, queryBlocks, keysValues, keyValueBlocks(0, tokenCount: tokenCount),
                              into: &scores, attentionBlocks, samples: batch, heads: heads, m: queryCount,
                              n: tokenCount, k: headDimension, transposeA: false, transposeB: true,
                              alpha: 1 / Float(headDimension).squareRoot(), beta: 0)
        let attention = backend.softmaxForward(scores)
        // head_bh = A_bh V_bh.
        var concatenated = backend.zeros([batch * queryCount, d])
        backend.batchedMatmul(attention, attentionBlocks, keysValues, keyValueBlocks(1, tokenCount: tokenCount),
                              into: &concatenated, headOutputBlocks(queryCount: queryCount), samples: batch,
                              heads: heads, m: queryCount, n: headDimension, k: tokenCount, transposeA: false,
                              transposeB: false, alpha: 1, beta: 0)
        let output = backend.linearForward(input: concatenated,
                                           weight: state.tensor(at: outProjectionWeight, shape: [d, d]),
                                           bias: state.tensor(at: outProjectionBias, shape: [d]))
        cache = shouldCache ? Cache(queries: queryTensor, tokens: tokenTensor, projectedQueries: projected,
                                    keysValues: keysValues, attention: attention, concatenated: concatenated,
                                    batch: batch, tokenCount: tokenCount) : nil
        return backend.download(output)
    }

    /// Accumulates all four parameter gradients from `outputGradient [B*K, d]`; returns the gradients of the
    /// queries `[K, d]` and of the tokens `[B*T, d]`.
    func backward(_ outputGradient: [Float], _ state: StateAccess) -> (queries: [Float], tokens: [Float]) {
        guard let cache else { preconditionFailure("MultiheadAttention.backward before a caching forward") }
        let (d, heads, headDimension) = (dimension, heads, headDimension)
        let (batch, tokenCount) = (cache.batch, cache.tokenCount)
        let queryCount = cache.queries.shape[0]
        let backend = state.backend
        let outGradients = backend.linearBackward(
            outputGradient: backend.tensor(shape: [batch * queryCount, d], values: outputGradient),
            input: cache.concatenated, weight: state.tensor(at: outProjectionWeight, shape: [d, d]), hasBias: true)
        state.accumulateGradient(outGradients.weight, at: outProjectionWeight)
        if let biasGradient = outGradients.bias { state.accumulateGradient(biasGradient, at: outProjectionBias) }
        let concatenatedGradient = outGradients.input
        let (keys, values) = (keyValueBlocks(0, tokenCount: tokenCount), keyValueBlocks(1, tokenCount: tokenCount))
        let scoreBlocks = attentionBlocks(queryCount: queryCount, tokenCount: tokenCount)
        let outputBlocks = headOutputBlocks(queryCount: queryCount)
        // dA_bh = dO_bh V_bh^T and dV_bh = A_bh^T dO_bh.
        var attentionGradient = backend.zeros(cache.attention.shape)
        var keysValuesGradient = backend.zeros([batch * tokenCount, 2 * d])
        backend.batchedMatmul(concatenatedGradient, outputBlocks, cache.keysValues, values, into: &attentionGradient,
                              scoreBlocks, samples: batch, heads: heads, m: queryCount, n: tokenCount,
                              k: headDimension, transposeA: false, transposeB: true, alpha: 1, beta: 0)
        backend.batchedMatmul(cache.attention, scoreBlocks, concatenatedGradient, outputBlocks,
                              into: &keysValuesGradient, values, samples: batch, heads: heads, m: tokenCount,
                              n: headDimension, k: queryCount, transposeA: true, transposeB: false, alpha: 1, beta: 0)
        let scoreGradient = backend.softmaxBackward(outputGradient: attentionGradient, output: cache.attention)
        // dQ_h = scale sum_b dS_bh K_bh (one shared block summed over samples), dK_bh = scale dS_bh^T Q_h.
        let scale = 1 / Float(headDimension).squareRoot()
        var queryGradient = backend.zeros([queryCount, d])
        backend.batchedMatmul(scoreGradient, scoreBlocks, cache.keysValues, keys, into: &queryGradient, queryBlocks,
                              samples: batch, heads: heads, m: queryCount, n: headDimension, k: tokenCount,
                              transposeA: false, transposeB: false, alpha: scale, beta: 1)
        backend.batchedMatmul(scoreGradient, scoreBlocks, cache.projectedQueries, queryBlocks,
                              into: &keysValuesGradient, keys, samples: batch, heads: heads, m: tokenCount,
                              n: headDimension, k: queryCount, transposeA: true, transposeB: false, alpha: scale,
                              beta: 0)
        // In-projection: rows 0..<d act on the queries, rows d..<3d on the tokens (keys, values).
        let weights = inWeights(state)
        state.accumulateGradient(backend.matmul(queryGradient, cache.queries, transposeA: true, transposeB: false,
                                                alpha: 1, parallel: false), at: inProjectionWeight)
        state.accumulateGradient(backend.matmul(keysValuesGradient, cache.tokens, transposeA: true,
                                                transposeB: false, alpha: 1, parallel: true),
                                 at: inProjectionWeight + d * d)
        let inputQueryGradient = backend.matmul(queryGradient, weights.queries, transposeA: false, transposeB: false,
                                                alpha: 1, parallel: false)
        let tokenGradient = backend.matmul(keysValuesGradient, weights.keysValues, transposeA: false,
                                           transposeB: false, alpha: 1, parallel: true)
        state.accumulateGradient(backend.columnSums(queryGradient), at: inProjectionBias)
        state.accumulateGradient(backend.columnSums(keysValuesGradient), at: inProjectionBias + d)
        self.cache = nil
        return (backend.download(inputQueryGradient), backend.download(tokenGradient))
    }
}
