import Foundation

/// The loss terms of one batch (each already divided by the batch size B).
package struct LossTerms: Sendable, Equatable {
    package var binaryCrossEntropy: Float = 0
    package var rejection: Float = 0
    package var contrastive: Float = 0
    /// `BCE + lambdaRejection * rejection + lambdaContrastive * contrastive`.
    package var total: Float = 0
}

/// FedNCAlign-ML's training loss over a batch's head scores (trainer.md, "Losses"), with its gradient.
///
/// - BCE with logits on the prediction logits `z[b, c, c]` (or `z[b, c]`), summed over classes, mean over B.
/// - Rejection: for each negative (b, c), `m = max_j z[b, c, j]` (`z[b, c]` for one-score heads); only the N_pos
///   largest m among negatives count (N_pos = positive pairs in the batch; ties broken by position);
///   `r = max(0, sigmoid(m) - tau)`, summed / B.
/// - Positive contrastive: for each positive (b, c) with feature `f` (`f_{b,c}` for LADM, the pooled feature
///   otherwise), `-log softmax_j(cos(f, w_j) / temperature)[c]`, summed / B. Needs prototypes `w`.
/// Terms whose lambda is 0 are skipped entirely.
package enum MultiLabelLoss {
    /// Loss terms, the gradient of `total` w.r.t. `scores.scores`, w.r.t. `scores.features` and, when
    /// `scores.prototypesAreTrainable`, w.r.t. `scores.prototypes` (`[K, d]`; nil otherwise).
    package static func evaluate(_ scores: HeadScores, labels: [Float], configuration: LossConfiguration)
        -> (terms: LossTerms, scoreGradient: [Float], featureGradient: [Float], prototypeGradient: [Float]?) {
        let (batch, classes) = (scores.batch, scores.classes)
        precondition(labels.count == batch * classes, "labels: expected \(batch) x \(classes) values, got \(labels.count)")
        let inverseBatch = 1 / Float(batch)
        var terms = LossTerms()
        var scoreGradient = [Float](repeating: 0, count: scores.scores.count)
        var featureGradient = [Float](repeating: 0, count: scores.features.count)
        var prototypeGradient: [Float]? = scores.prototypesAreTrainable
            ? [Float](repeating: 0, count: scores.prototypes?.count ?? 0) : nil
        var positives = 0
        for sample in 0..<batch {
            for classIndex in 0..<classes {
                let index = scores.logitIndex(sample: sample, classIndex: classIndex)
                let x = scores.scores[index]
                let y = labels[sample * classes + classIndex]
                if y > 0.5 { positives += 1 }
                terms.binaryCrossEntropy += max(x, 0) - x * y + log1pf(expf(-abs(x)))
                scoreGradient[index] += (sigmoid(x) - y) * inverseBatch
            }
        }
        terms.binaryCrossEntropy *= inverseBatch
        if configuration.lambdaRejection != 0 {
            terms.rejection = rejection(scores, labels: labels, positives: positives, configuration: configuration,
                                        gradient: &scoreGradient)
        }
        if configuration.lambdaContrastive != 0 {
            terms.contrastive = contrastive(scores, labels: labels, configuration: configuration,
                                            gradient: &featureGradient, prototypeGradient: &prototypeGradient)
        }
        terms.total = terms.binaryCrossEntropy + configuration.lambdaRejection * terms.rejection
            + configuration.lambdaContrastive * terms.contrastive
        return (terms, scoreGradient, featureGradient, prototypeGradient)
    }

    static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + expf(-x)) : expf(x) / (1 + expf(x))
    }

    /// Adds `lambdaRejection *` its gradient to `gradient`; returns the unweighted term.
    private static func rejection(_ scores: HeadScores, labels: [Float], positives: Int,
                                  configuration: LossConfiguration, gradient: inout [Float]) -> Float {
        let (batch, classes, columns) = (scores.batch, scores.classes, scores.columns)
        var negatives = [(value: Float, index: Int)]()
        for sample in 0..<batch {
            for classIndex in 0..<classes where labels[sample * classes + classIndex] <= 0.5 {
                let start = (sample * classes + classIndex) * columns
                var best = start
                for index in start..<(start + columns) where scores.scores[index] > scores.scores[best] { best = index }
                negatives.append((scores.scores[best], best))
            }
        }
        negatives.sort { $0.value != $1.value ? $0.value > $1.value : $0.index < $1.index }
        var total: Float = 0
        let weight = configuration.lambdaRejection / Float(batch)
        for negative in negatives.prefix(positives) {
            let probability = sigmoid(negative.value)
            guard probability > configuration.tau else { continue }
            total += probability - configuration.tau
            gradient[negative.index] += weight * probability * (1 - probability)
        }
        return total / Float(batch)
    }

    /// Adds `lambdaContrastive *` its gradient to `gradient` (w.r.t. features) and, when not nil, to
    /// `prototypeGradient` (w.r.t. the prototypes); returns the unweighted term.
    private static func contrastive(_ scores: HeadScores, labels: [Float], configuration: LossConfiguration,
                                    gradient: inout [Float], prototypeGradient: inout [Float]?) -> Float {
        guard let prototypes = scores.prototypes, scores.featureRows > 0 else {
            preconditionFailure("the contrastive loss needs a head with prototypes (ladm-etf or sphere); "
                                + "set lambdaContrastive to 0 for the mlp head")
        }
        let (batch, classes, d) = (scores.batch, scores.classes, scores.featureDimension)
        let prototypeNorms = (0..<classes).map { row in
            max(sqrtf(prototypes[(row * d)..<((row + 1) * d)].reduce(0) { $0 + $1 * $1 }), 1e-12)
        }
        let weight = configuration.lambdaContrastive / Float(batch)
        let inverseTemperature = 1 / configuration.temperature
        var total: Float = 0
        var cosines = [Float](repeating: 0, count: classes)
        for sample in 0..<batch {
            for classIndex in 0..<classes where labels[sample * classes + classIndex] > 0.5 {
                let row = scores.featureRows == 1 ? sample : sample * classes + classIndex
                let base = row * d
                var squared: Float = 0
                for index in base..<(base + d) { squared += scores.features[index] * scores.features[index] }
                let length = max(sqrtf(squared), 1e-12)
                var maximum = -Float.infinity
                for j in 0..<classes {
                    var dot: Float = 0
                    for index in 0..<d { dot += scores.features[base + index] * prototypes[j * d + index] }
                    cosines[j] = dot / (length * prototypeNorms[j])
                    maximum = max(maximum, cosines[j] * inverseTemperature)
                }
                var sum: Float = 0
                for j in 0..<classes { sum += expf(cosines[j] * inverseTemperature - maximum) }
                total += -(cosines[classIndex] * inverseTemperature - maximum - logf(sum))
                // d loss / d cos_j = (softmax_j - [j == c]) / temperature
                for j in 0..<classes {
                    let probability = expf(cosines[j] * inverseTemperature - maximum) / sum
                    let cosineGradient = weight * (probability - (j == classIndex ? 1 : 0)) * inverseTemperature
                    guard cosineGradient != 0 else { continue }
                    let scaleW = cosineGradient / (length * prototypeNorms[j])
                    let scaleF = cosineGradient * cosines[j] / (length * length)
                    for index in 0..<d {
                        gradient[base + index] += scaleW * prototypes[j * d + index]
                            - scaleF * scores.features[base + index]
                    }
                    if prototypeGradient != nil {
                        // d cos / d w = f / (|f| |w|) - cos w / |w|^2
                        let scaleP = cosineGradient * cosines[j] / (prototypeNorms[j] * prototypeNorms[j])
                        for index in 0..<d {
                            prototypeGradient![j * d + index] += scaleW * scores.features[base + index]
                                - scaleP * prototypes[j * d + index]
                        }
                    }
                }
            }
        }
        return total / Float(batch)
    }
}
