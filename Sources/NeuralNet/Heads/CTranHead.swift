import SeededRandom
import TensorEngine

/// C-Tran's label transformer on the ResNet-18 layer4 feature map (FedLGT's model; `models/CTran.py` of
/// Jack24658735/FedLGT with `label_emb_type='clip'`):
///
///     image tokens  I_b = tokens(layer4_b) [hw, c], times `head.projection` when c != d
///     label tokens  L_bk = label_embedding[k] + state_embedding[state_bk]        (both frozen, [K, d] and [3, d])
///     X_b = LayerNorm([I_b; L_b])  -> `layers` post-norm encoder layers (heads, f = d, dropout p)
///     logit_bk = readout.weight[k] . X_b[hw + k] + readout.bias[k]                 (one linear per class)
///
/// Names: `head.projection.{weight,bias}` (only when c != d), `head.label_embedding` [K, d] and
/// `head.state_embedding` [3, d] (not trainable; filled from the label-embeddings file, zero until then),
/// `head.norm.*`, `head.layers.<i>.*` (see `TransformerEncoderLayer`), `head.readout.weight` [K, d],
/// `head.readout.bias` [K]. Logits are `[B, K]` row-major.
final class CTranHead {
    let classes: Int
    let inputChannels: Int
    let dimension: Int
    let projection: Linear?
    let labelEmbedding: Int
    let stateEmbedding: Int
    let norm: LayerNorm
    let layers: [TransformerEncoderLayer]
    let readoutWeight: Int
    let readoutBias: Int
    private var cache: (output: Tensor, batch: Int, height: Int, width: Int)?

    init(_ builder: inout LayoutBuilder, classes: Int, inputChannels: Int, dimension: Int, heads: Int,
         layerCount: Int) {
        self.classes = classes
        self.inputChannels = inputChannels
        self.dimension = dimension
        projection = inputChannels == dimension ? nil
            : Linear(&builder, name: "head.projection", inFeatures: inputChannels, outFeatures: dimension)
        labelEmbedding = builder.add("head.label_embedding", [classes, dimension], trainable: false)
        stateEmbedding = builder.add("head.state_embedding", [3, dimension], trainable: false)
        norm = LayerNorm(&builder, name: "head.norm", features: dimension)
        layers = (0..<layerCount).map {
            TransformerEncoderLayer(&builder, name: "head.layers.\($0)", dimension: dimension, heads: heads,
                                    feedForward: dimension)
        }
        readoutWeight = builder.add("head.readout.weight", [classes, dimension])
        readoutBias = builder.add("head.readout.bias", [classes])
    }

    /// Projection: PyTorch's Linear default; norm 1/0; layers as `TransformerEncoderLayer.initialize`; readout
    /// weight and bias uniform in `(-1/sqrt d, 1/sqrt d)` (C-Tran's `weights_init`); embeddings stay zero.
    func initialize(_ values: UnsafeMutablePointer<Float>, random: inout Xoshiro256StarStar) {
        projection?.initialize(values, random: &random)
        norm.initialize(values)
        for layer in layers { layer.initialize(values, random: &random) }
        let bound = 1 / Double(dimension).squareRoot()
        for index in 0..<(classes * dimension) {
            values[readoutWeight + index] = Float((2 * random.uniform() - 1) * bound)
        }
        for index in 0..<classes { values[readoutBias + index] = Float((2 * random.uniform() - 1) * bound) }
    }

    /// Logits `[B, K]` from the layer4 map `[B, c, h, w]` and the label states `[B, K]` row-major.
    /// `dropout`: nil in eval mode. Caches what `backward` needs when `training`.
    func forward(_ featureMap: FeatureMap, states: [LabelState], _ state: StateAccess, dropout: (any DropoutMasks)?,
                 training: Bool) -> [Float] {
        let (batch, d, k, plane) = (featureMap.batch, dimension, classes, featureMap.spatial)
        precondition(featureMap.channels == inputChannels, "CTranHead: expected \(inputChannels) channels")
        precondition(states.count == batch * k, "CTranHead: expected \(batch) x \(k) label states")
        var image = Tokens.fromFeatureMap(featureMap, state.backend)
        if let projection { image = projection.forward(image, rows: batch * plane, state, cache: training) }
        let tokenCount = plane + k
        let backend = state.backend
        let sequence = backend.labelTokenSequence(
            image: backend.tensor(shape: [batch * plane, d], values: image),
            labelEmbedding: state.tensor(at: labelEmbedding, shape: [k, d]),
            stateEmbedding: state.tensor(at: stateEmbedding, shape: [3, d]), stateRows: states.map(\.embeddingRow),
            batch: batch)
        var x = norm.forward(backend.download(sequence), rows: batch * tokenCount, state, cache: training)
        for layer in layers {
            x = layer.forward(x, batch: batch, tokenCount: tokenCount, state, dropout: dropout, cache: training)
        }
        let output = backend.tensor(shape: [batch * tokenCount, d], values: x)
        let logits = backend.labelReadoutForward(tokens: output, weight: state.tensor(at: readoutWeight, shape: [k, d]),
                                                 bias: state.tensor(at: readoutBias, shape: [k]), batch: batch,
                                                 firstLabelRow: plane)
        cache = training ? (output, batch, featureMap.height, featureMap.width) : nil
        return backend.download(logits)
    }

    /// Accumulates the head's gradients from `logitGradient [B, K]`; returns the layer4 map's gradient.
    func backward(_ logitGradient: [Float], _ state: StateAccess) -> FeatureMap {
        guard let (output, batch, height, width) = cache else {
            preconditionFailure("CTranHead.backward before a training forward")
        }
        let (d, k, plane) = (dimension, classes, height * width)
        let tokenCount = plane + k
        let backend = state.backend
        let readout = backend.labelReadoutBackward(
            outputGradient: backend.tensor(shape: [batch, k], values: logitGradient), tokens: output,
            weight: state.tensor(at: readoutWeight, shape: [k, d]), firstLabelRow: plane)
        state.accumulateGradient(readout.weight, at: readoutWeight)
        if let bias = readout.bias { state.accumulateGradient(bias, at: readoutBias) }
        var x = backend.download(readout.input)
        for layer in layers.reversed() { x = layer.backward(x, state) }
        let sequence = norm.backward(x, rows: batch * tokenCount, state)
        var image = [Float](repeating: 0, count: batch * plane * d)
        for sample in 0..<batch {
            for position in 0..<plane {
                for column in 0..<d {
                    image[(sample * plane + position) * d + column] = sequence[(sample * tokenCount + position) * d + column]
                }
            }
        }
        if let projection { image = projection.backward(image, rows: batch * plane, state) }
        cache = nil
        return Tokens.toFeatureMap(image, batch: batch, channels: inputChannels, height: height, width: width,
                                   state.backend)
    }
}
