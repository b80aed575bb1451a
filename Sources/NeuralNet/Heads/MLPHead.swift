import SeededRandom

/// The baselines' head: global average pool -> `head.0` Linear(d, H) -> `head.1` LayerNorm(H) -> GELU ->
/// `head.3` Linear(H, K) (names as an `nn.Sequential`), H = `ModelConfiguration.mlpHiddenFeatures` (default 1024).
/// One logit per class; no prototypes.
final class MLPHead: ClassifierHead {
    let hiddenFeatures: Int
    let classes: Int
    let dimension: Int
    let first: Linear
    let normalization: LayerNorm
    let second: Linear
    private var cache: (normalized: [Float], height: Int, width: Int)?

    init(_ builder: inout LayoutBuilder, classes: Int, dimension: Int, hiddenFeatures: Int) {
        self.classes = classes
        self.dimension = dimension
        self.hiddenFeatures = hiddenFeatures
        first = Linear(&builder, name: "head.0", inFeatures: dimension, outFeatures: hiddenFeatures)
        normalization = LayerNorm(&builder, name: "head.1", features: hiddenFeatures)
        second = Linear(&builder, name: "head.3", inFeatures: hiddenFeatures, outFeatures: classes)
    }

    func initialize(_ values: UnsafeMutablePointer<Float>, random: inout Xoshiro256StarStar) {
        first.initialize(values, random: &random)
        normalization.initialize(values)
        second.initialize(values, random: &random)
    }

    func forward(_ featureMap: FeatureMap, _ state: StateAccess, training: Bool) -> HeadScores {
        let batch = featureMap.batch
        let pooled = GlobalAveragePool.forward(featureMap, state.backend)
        let hidden = first.forward(pooled, rows: batch, state, cache: training)
        let normalized = normalization.forward(hidden, rows: batch, state, cache: training)
        let logits = second.forward(GELU.forward(normalized, state.backend), rows: batch, state, cache: training)
        cache = training ? (normalized, featureMap.height, featureMap.width) : nil
        return HeadScores(batch: batch, classes: classes, columns: 1, scores: logits, features: [], featureRows: 0,
                          featureDimension: dimension, prototypes: nil)
    }

    func backward(scoreGradient: [Float], featureGradient: [Float]?, prototypeGradient: [Float]?,
                  _ state: StateAccess) -> FeatureMap {
        guard let cache else { preconditionFailure("MLPHead.backward before a train forward") }
        let batch = scoreGradient.count / classes
        let activated = second.backward(scoreGradient, rows: batch, state)
        let normalized = normalization.backward(GELU.backward(activated, input: cache.normalized, state.backend),
                                                rows: batch, state)
        let pooled = first.backward(normalized, rows: batch, state)
        self.cache = nil
        return GlobalAveragePool.backward(pooled, batch: batch, channels: dimension, height: cache.height,
                                          width: cache.width, state.backend)
    }
}
