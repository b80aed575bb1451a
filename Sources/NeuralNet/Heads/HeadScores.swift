/// What a head hands to the loss for a batch of B samples and K classes.
package struct HeadScores {
    package let batch: Int
    package let classes: Int
    /// Scores per class: K for the LADM head (`z[b, k, j] = s <w_j, f_k> + b_j`), 1 for the other heads.
    package let columns: Int
    /// `[B, K, columns]` row-major.
    package var scores: [Float]
    /// Features the contrastive loss compares with `prototypes`: `[B, featureRows, d]` (featureRows K for LADM's
    /// per-class features, 1 for a pooled feature, 0 when the head has none).
    package var features: [Float]
    package let featureRows: Int
    package let featureDimension: Int
    /// Class prototypes `w_j` `[K, d]` (the ETF or the sphere classifier); nil for the mlp head.
    package var prototypes: [Float]?
    /// True when `prototypes` are trained (the trainable ETF): the loss then also returns their gradient.
    package var prototypesAreTrainable = false

    package init(batch: Int, classes: Int, columns: Int, scores: [Float], features: [Float], featureRows: Int,
                 featureDimension: Int, prototypes: [Float]?) {
        precondition(scores.count == batch * classes * columns, "HeadScores: score count does not match shape")
        precondition(features.count == batch * featureRows * featureDimension,
                     "HeadScores: feature count does not match shape")
        self.batch = batch
        self.classes = classes
        self.columns = columns
        self.scores = scores
        self.features = features
        self.featureRows = featureRows
        self.featureDimension = featureDimension
        self.prototypes = prototypes
    }

    /// Index in `scores` of the logit that predicts class `c` of sample `b` (`z[b, c, c]` or `z[b, c]`).
    package func logitIndex(sample: Int, classIndex: Int) -> Int {
        (sample * classes + classIndex) * columns + (columns == 1 ? 0 : classIndex)
    }

    /// The prediction logits `[B, K]`.
    package var logits: [Float] {
        var result = [Float](repeating: 0, count: batch * classes)
        for sample in 0..<batch {
            for classIndex in 0..<classes {
                result[sample * classes + classIndex] = scores[logitIndex(sample: sample, classIndex: classIndex)]
            }
        }
        return result
    }
}
