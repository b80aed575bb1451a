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

    /// Head blocks of the projections `[B*T, 3d]`: `part` 0 queries, 1 keys, 2 values.
    private func projectionBlocks(_ part: Int, tokenCount t: Int) -> MatrixBlocks {
        MatrixBlocks(offset: part * dimension, sampleStride: t * 3 * dimension, headStride: headDimension,
                     rowStride: 3 * dimension)
    }

    /// Head blocks `[T, T]` of the attention weights `[B*heads*T, T]`.
    private func attentionBlocks(tokenCount t: Int) -> MatrixBlocks {
        MatrixBlocks(sampleStride: heads * t * t, headStride: t * t, rowStride: t)
    }

    /// Head blocks of the concatenated heads `[B*T, d]`.
    private func headOutputBlocks(tokenCount t: Int) -> MatrixBlocks {
        MatrixBlocks(sampleStride: t * dimension, headStride: headDimension, rowStride: dimension)
    }

    /// `tokens [B*T, d]` -> `[B*T, d]`; `dropout` nil in eval mode.
    func forward(_ tokens: [Float], batch: Int, tokenCount: Int, _ state: StateAccess, dropout: (any DropoutMasks)?,
                 cache shouldCache: Bool) -> [Float] {
        let (d, heads, headDimension, t) = (dimension, heads, headDimension, tokenCount)
        precondition(tokens.count == batch * t * d, "SelfAttention: expected \(batch) x \(t) x \(d) tokens")
        let backend = state.backend
        let projected = backend.tensor(shape: [batch * t, 3 * d],
                                       values: inProjection.forward(tokens, rows: batch * t, state, cache: shouldCache))
        // S_h = scale Q_h K_h^T, per sample.
        var scores = backend.zeros([batch * heads * t, t])
        backend.batchedMatmul(projected, projectionBlocks(0, tokenCount: t), projected,
                              projectionBlocks(1, tokenCount: t), into: &scores, attentionBlocks(tokenCount: t),
                              samples: batch, heads: heads, m: t, n: t, k: headDimension, transposeA: false,
                              transposeB: true, alpha: 1 / Float(headDimension).squareRoot(), beta: 0)
        let attention = backend.softmaxForward(scores)
        let mask = dropout?.mask(count: attention.count)
        let dropped = Dropout.apply(mask, to: attention, backend)
        // O_h = A'_h V_h.
        var concatenated = backend.zeros([batch * t, d])
        backend.batchedMatmul(dropped, attentionBlocks(tokenCount: t), projected, projectionBlocks(2, tokenCount: t),
                              into: &concatenated, headOutputBlocks(tokenCount: t), samples: batch, heads: heads,
                              m: t, n: headDimension, k: t, transposeA: false, transposeB: false, alpha: 1, beta: 0)
        cache = shouldCache ? Cache(projected: projected, attention: attention, mask: mask, batch: batch,
                                    tokenCount: t) : nil
        return outProjection.forward(backend.download(concatenated), rows: batch * t, state, cache: shouldCache)
    }

    /// Accumulates the four parameter gradients from `outputGradient [B*T, d]`; returns the tokens' gradient.
    func backward(_ outputGradient: [Float], _ state: StateAccess) -> [Float] {
        guard let cache else { preconditionFailure("SelfAttention.backward before a caching forward") }
        let (d, heads, headDimension) = (dimension, heads, headDimension)
        let (batch, t) = (cache.batch, cache.tokenCount)
        let backend = state.backend
        let headsGradient = outProjection.backward(outputGradient, rows: batch * t, state)
        let concatenatedGradient = backend.tensor(shape: [batch * t, d], values: headsGradient)
        let dropped = Dropout.apply(cache.mask, to: cache.attention, backend)
        let (queries, keys, values) = (projectionBlocks(0, tokenCount: t), projectionBlocks(1, tokenCount: t),
                                       projectionBlocks(2, tokenCount: t))
        let (scoreBlocks, outputBlocks) = (attentionBlocks(tokenCount: t), headOutputBlocks(tokenCount: t))
        // dA' = dO_h V_h^T, dV_h = A'^T dO_h.
        var droppedGradient = backend.zeros(cache.attention.shape)
        var projectedGradient = backend.zeros([batch * t, 3 * d])
        backend.batchedMatmul(concatenatedGradient, outputBlocks, cache.projected, values, into: &droppedGradient,
                              scoreBlocks, samples: batch, heads: heads, m: t, n: t, k: headDimension,
                              transposeA: false, transposeB: true, alpha: 1, beta: 0)
        backend.batchedMatmul(dropped, scoreBlocks, concatenatedGradient, outputBlocks, into: &projectedGradient,
                              values, samples: batch, heads: heads, m: t, n: headDimension, k: t, transposeA: true,
                              transposeB: false, alpha: 1, beta: 0)
        let attentionGradient = Dropout.apply(cache.mask, to: droppedGradient, backend)
        let scoreGradient = backend.softmaxBackward(outputGradient: attentionGradient, output: cache.attention)
        // dQ_h = scale dS K_h, dK_h = scale dS^T Q_h.
        let scale = 1 / Float(headDimension).squareRoot()
        backend.batchedMatmul(scoreGradient, scoreBlocks, cache.projected, keys, into: &projectedGradient, queries,
                              samples: batch, heads: heads, m: t, n: headDimension, k: t, transposeA: false,
                              transposeB: false, alpha: scale, beta: 0)
        backend.batchedMatmul(scoreGradient, scoreBlocks, cache.projected, queries, into: &projectedGradient, keys,
                              samples: batch, heads: heads, m: t, n: headDimension, k: t, transposeA: true,
                              transposeB: false, alpha: scale, beta: 0)
        self.cache = nil
        return inProjection.backward(backend.download(projectedGradient), rows: batch * t, state)
    }
}
