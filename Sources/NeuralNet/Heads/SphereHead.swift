import SeededRandom

/// SphereFed's head: the pooled feature g is L2-normalised (`u = g / max(|g|, 1e-12)`) and scored against a fixed
/// orthonormal classifier `head.classifier` `[K, d]`: `z_k = scale * <u, c_k>` (cosine logits, scale default 10).
/// The classifier is a buffer (not trained) that SphereFed's calibration may overwrite in `state`.
final class SphereHead: ClassifierHead {
    let classes: Int
    let dimension: Int
    let logitScale: Float
    let classifier: Int
    private var cache: (height: Int, width: Int, pooled: [Float])?

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

    private func norms(_ pooled: [Float], batch: Int) -> [Float] {
        (0..<batch).map { sample in
            var sum: Float = 0
            for index in (sample * dimension)..<((sample + 1) * dimension) { sum += pooled[index] * pooled[index] }
            return max(sum.squareRoot(), 1e-12)
        }
    }

    func forward(_ featureMap: FeatureMap, _ state: StateAccess, training: Bool) -> HeadScores {
        let (batch, classes, d) = (featureMap.batch, classes, dimension)
        let pooled = GlobalAveragePool.forward(featureMap)
        let lengths = norms(pooled, batch: batch)
        let frame = Array(UnsafeBufferPointer(start: state.values + classifier, count: classes * d))
        var scores = [Float](repeating: 0, count: batch * classes)
        for sample in 0..<batch {
            for classIndex in 0..<classes {
                var dot: Float = 0
                for index in 0..<d { dot += pooled[sample * d + index] * frame[classIndex * d + index] }
                scores[sample * classes + classIndex] = logitScale * dot / lengths[sample]
            }
        }
        cache = training ? (featureMap.height, featureMap.width, pooled) : nil
        return HeadScores(batch: batch, classes: classes, columns: 1, scores: scores, features: pooled,
                          featureRows: 1, featureDimension: d, prototypes: frame)
    }

    func backward(scoreGradient: [Float], featureGradient: [Float]?, _ state: StateAccess) -> FeatureMap {
        guard let cache else { preconditionFailure("SphereHead.backward before a train forward") }
        let (classes, d) = (classes, dimension)
        let batch = scoreGradient.count / classes
        let lengths = norms(cache.pooled, batch: batch)
        var gradient = featureGradient ?? [Float](repeating: 0, count: batch * d)
        for sample in 0..<batch {
            var unitGradient = [Float](repeating: 0, count: d)
            for classIndex in 0..<classes {
                let dz = logitScale * scoreGradient[sample * classes + classIndex]
                for index in 0..<d { unitGradient[index] += dz * state.values[classifier + classIndex * d + index] }
            }
            let length = lengths[sample]
            var radial: Float = 0
            for index in 0..<d { radial += unitGradient[index] * cache.pooled[sample * d + index] / length }
            for index in 0..<d {
                let unit = cache.pooled[sample * d + index] / length
                gradient[sample * d + index] += (unitGradient[index] - unit * radial) / length
            }
        }
        self.cache = nil
        return GlobalAveragePool.backward(gradient, batch: batch, channels: d, height: cache.height, width: cache.width)
    }
}
