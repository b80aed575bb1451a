import SeededRandom
import TensorEngine

/// A post-norm transformer encoder layer, `torch.nn.TransformerEncoderLayer(d, heads, dim_feedforward=f,
/// dropout=p, activation="relu", norm_first=False)` (as C-Tran's `SelfAttnLayer` uses it, f = d):
///
///     h = norm1(x + dropout1(self_attn(x)))
///     y = norm2(h + dropout2(linear2(dropout(relu(linear1(h))))))
///
/// Tokens `[B*T, d]` row-major, sample-major. Names under `<name>.`: `self_attn.in_proj_weight`,
/// `self_attn.in_proj_bias`, `self_attn.out_proj.{weight,bias}`, `linear1.*`, `linear2.*`, `norm1.*`, `norm2.*`.
/// In train mode dropout takes four masks per layer, in this order: attention weights, dropout1, the
/// feed-forward dropout, dropout2.
final class TransformerEncoderLayer {
    let dimension: Int
    let feedForward: Int
    let attention: SelfAttention
    let linear1: Linear
    let linear2: Linear
    let norm1: LayerNorm
    let norm2: LayerNorm
    private var cache: (hidden: Tensor, masks: [[Float]?])?

    init(_ builder: inout LayoutBuilder, name: String, dimension: Int, heads: Int, feedForward: Int) {
        self.dimension = dimension
        self.feedForward = feedForward
        attention = SelfAttention(&builder, name: "\(name).self_attn", dimension: dimension, heads: heads)
        linear1 = Linear(&builder, name: "\(name).linear1", inFeatures: dimension, outFeatures: feedForward)
        linear2 = Linear(&builder, name: "\(name).linear2", inFeatures: feedForward, outFeatures: dimension)
        norm1 = LayerNorm(&builder, name: "\(name).norm1", features: dimension)
        norm2 = LayerNorm(&builder, name: "\(name).norm2", features: dimension)
    }

    /// C-Tran's `weights_init` over PyTorch's reset: every `nn.Linear` (linear1, linear2, out_proj) weight and bias
    /// uniform in `(-1/sqrt(in), 1/sqrt(in))`; in-projection Xavier-uniform with bias 0; norms weight 1, bias 0.
    func initialize(_ values: UnsafeMutablePointer<Float>, random: inout Xoshiro256StarStar) {
        attention.initialize(values, random: &random)
        attention.outProjection.initialize(values, random: &random)
        linear1.initialize(values, random: &random)
        linear2.initialize(values, random: &random)
        norm1.initialize(values)
        norm2.initialize(values)
    }

    /// `[B*T, d] -> [B*T, d]`; `dropout` nil in eval mode.
    func forward(_ x: [Float], batch: Int, tokenCount: Int, _ state: StateAccess, dropout: (any DropoutMasks)?,
                 cache shouldCache: Bool) -> [Float] {
        let rows = batch * tokenCount
        let attended = attention.forward(x, batch: batch, tokenCount: tokenCount, state, dropout: dropout,
                                         cache: shouldCache)
        let mask1 = dropout?.mask(count: attended.count)
        let hidden = norm1.forward(Self.sum(x, Dropout.apply(mask1, to: attended, state.backend), state.backend),
                                   rows: rows, state,
                                   cache: shouldCache)
        var expanded = state.backend.tensor(shape: [rows, feedForward],
                                            values: linear1.forward(hidden, rows: rows, state, cache: shouldCache))
        state.backend.reluForwardInPlace(&expanded)
        let mask = dropout?.mask(count: expanded.count)
        let reduced = linear2.forward(state.backend.download(Dropout.apply(mask, to: expanded, state.backend)),
                                      rows: rows, state, cache: shouldCache)
        let mask2 = dropout?.mask(count: reduced.count)
        let output = norm2.forward(Self.sum(hidden, Dropout.apply(mask2, to: reduced, state.backend), state.backend),
                                   rows: rows, state,
                                   cache: shouldCache)
        cache = shouldCache ? (expanded, [mask1, mask, mask2]) : nil
        return output
    }

    /// Accumulates every parameter gradient from `outputGradient [B*T, d]`; returns the input's gradient.
    func backward(_ outputGradient: [Float], _ state: StateAccess) -> [Float] {
        guard let (expanded, masks) = cache else {
            preconditionFailure("TransformerEncoderLayer.backward before a caching forward")
        }
        let rows = outputGradient.count / dimension
        let residual2 = norm2.backward(outputGradient, rows: rows, state)
        let reducedGradient = linear2.backward(Dropout.apply(masks[2], to: residual2, state.backend), rows: rows,
                                               state)
        var expandedGradient = Dropout.apply(masks[1], to: state.backend.tensor(shape: [rows, feedForward],
                                                                                 values: reducedGradient),
                                             state.backend)
        state.backend.reluBackwardInPlace(gradient: &expandedGradient, output: expanded)
        let hiddenGradient = Self.sum(residual2,
                                      linear1.backward(state.backend.download(expandedGradient), rows: rows, state),
                                      state.backend)
        let residual1 = norm1.backward(hiddenGradient, rows: rows, state)
        let attendedGradient = attention.backward(Dropout.apply(masks[0], to: residual1, state.backend), state)
        cache = nil
        return Self.sum(residual1, attendedGradient, state.backend)
    }

    /// `a + b` elementwise on the backend.
    private static func sum(_ a: [Float], _ b: [Float], _ backend: any EngineBackend) -> [Float] {
        backend.download(backend.add(backend.tensor(shape: [a.count], values: a),
                                     backend.tensor(shape: [b.count], values: b)))
    }
}
