import SeededRandom
import TensorEngine

/// SphereFed's head: the pooled feature g is L2-normalised (`u = g / max(|g|, 1e-12)`) and scored against a fixed
/// orthonormal classifier `head.classifier` `[K, d]`: `z_k = scale * <u, c_k>` (cosine logits, scale default 10).
/// The classifier is a buffer (not trained) that SphereFed's calibration may overwrite in `state`.
final class SphereHead: ClassifierHead {
    let classes: Int
    let dimension: Int
    let logitScale: Float
    let classifier: Int
    private var cache: (height: Int, width: Int, normalized: L2NormalizeForward)?
    /// `F.normalize`'s default epsilon.
    static let epsilon: Float = 1e-12

    init(_ builder: inout LayoutBuilder, classes: Int, dimension: Int, logitScale: Float) {
        self.classes = classes
        self.dimension = dimension
        self.logitScale = logitScale
        classifier = builder.add("head.classifier", [classes, dimension], trainable: false)
    }

    func initialize(_ values: UnsafeMutablePointer<Float>, random: inout Xoshiro256StarStar) {
        let frame = FixedClassifier.randomOrthonormal(classes: classes, dimension: dimension, random: &random)
        for index in frame.indices { values[classifier + index] = frame[index] }
    }

    func forward(_ featureMap: FeatureMap, _ state: StateAccess, training: Bool) -> HeadScores {
        let (batch, classes, d) = (featureMap.batch, classes, dimension)
        let pooled = GlobalAveragePool.forward(featureMap, state.backend)
        let normalized = state.backend.l2NormalizeRowsForward(state.backend.tensor(shape: [batch, d], values: pooled),
                                                              epsilon: Self.epsilon)
        let frame = state.tensor(at: classifier, shape: [classes, d])
        let scores = state.backend.matmul(normalized.output, frame, transposeA: false, transposeB: true,
                                          alpha: logitScale, parallel: false)
        cache = training ? (featureMap.height, featureMap.width, normalized) : nil
        return HeadScores(batch: batch, classes: classes, columns: 1, scores: state.backend.download(scores),
                          features: pooled, featureRows: 1, featureDimension: d,
                          prototypes: state.backend.download(frame))
    }

    func backward(scoreGradient: [Float], featureGradient: [Float]?, prototypeGradient: [Float]?,
                  _ state: StateAccess) -> FeatureMap {
        guard let cache else { preconditionFailure("SphereHead.backward before a train forward") }
        let (classes, d) = (classes, dimension)
        let batch = scoreGradient.count / classes
        let frame = state.tensor(at: classifier, shape: [classes, d])
        let unitGradient = state.backend.matmul(state.backend.tensor(shape: [batch, classes], values: scoreGradient),
                                                frame, transposeA: false, transposeB: false, alpha: logitScale,
                                                parallel: false)
        var gradient = state.backend.l2NormalizeRowsBackward(outputGradient: unitGradient, saved: cache.normalized)
        if let featureGradient {
            state.backend.addInPlace(&gradient, state.backend.tensor(shape: [batch, d], values: featureGradient),
                                     alpha: 1)
        }
        self.cache = nil
        return GlobalAveragePool.backward(state.backend.download(gradient), batch: batch, channels: d,
                                          height: cache.height, width: cache.width, state.backend)
    }
}
