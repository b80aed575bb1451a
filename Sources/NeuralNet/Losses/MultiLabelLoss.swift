import Foundation
import TensorEngine

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
/// Terms whose lambda is 0 are skipped entirely. The BCE and contrastive terms run on the backend
/// (`binaryCrossEntropyTerms`, `prototypeContrastive`); the host gathers the prediction logits, scatters their
/// gradient back, picks the rejection's negatives (a sort) and combines the scalar terms.
package enum MultiLabelLoss {
    /// Loss terms, the gradient of `total` w.r.t. `scores.scores`, w.r.t. `scores.features` and, when
    /// `scores.prototypesAreTrainable`, w.r.t. `scores.prototypes` (`[K, d]`; nil otherwise).
    package static func evaluate(_ scores: HeadScores, labels: [Float], configuration: LossConfiguration,
                                 backend: any EngineBackend)
        -> (terms: LossTerms, scoreGradient: [Float], featureGradient: [Float], prototypeGradient: [Float]?) {
        let (batch, classes) = (scores.batch, scores.classes)
        precondition(labels.count == batch * classes, "labels: expected \(batch) x \(classes) values, got \(labels.count)")
        let inverseBatch = 1 / Float(batch)
        var terms = LossTerms()
        let bce = backend.binaryCrossEntropyTerms(
            logits: backend.tensor(shape: [batch, classes], values: scores.logits),
            targets: backend.tensor(shape: [batch, classes], values: labels), included: nil,
            gradientScale: inverseBatch)
        terms.binaryCrossEntropy = backend.download(bce.sum)[0] * inverseBatch
        var scoreGradient = [Float](repeating: 0, count: scores.scores.count)
        let logitGradient = backend.download(bce.gradient)
        for sample in 0..<batch {
            for classIndex in 0..<classes {
                scoreGradient[scores.logitIndex(sample: sample, classIndex: classIndex)]
                    = logitGradient[sample * classes + classIndex]
            }
        }
        var featureGradient = [Float](repeating: 0, count: scores.features.count)
        var prototypeGradient: [Float]? = scores.prototypesAreTrainable
            ? [Float](repeating: 0, count: scores.prototypes?.count ?? 0) : nil
        if configuration.lambdaRejection != 0 {
            let positives = labels.reduce(0) { $0 + ($1 > 0.5 ? 1 : 0) }
            terms.rejection = rejection(scores, labels: labels, positives: positives, configuration: configuration,
                                        gradient: &scoreGradient)
        }
        if configuration.lambdaContrastive != 0 {
            let contrastive = contrastive(scores, labels: labels, configuration: configuration, backend: backend)
            terms.contrastive = backend.download(contrastive.sum)[0] / Float(batch)
            featureGradient = backend.download(contrastive.featureGradient)
            if prototypeGradient != nil, let gradient = contrastive.prototypeGradient {
                prototypeGradient = backend.download(gradient)
            }
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

    /// The positive contrastive term on the backend: one (feature row, class) pair per positive label, in
    /// sample-major order; the sum is unweighted, the gradients carry `lambdaContrastive / B`.
    private static func contrastive(_ scores: HeadScores, labels: [Float], configuration: LossConfiguration,
                                    backend: any EngineBackend) -> PrototypeContrastiveTerms {
        guard let prototypes = scores.prototypes, scores.featureRows > 0 else {
            preconditionFailure("the contrastive loss needs a head with prototypes (ladm-etf or sphere); "
                                + "set lambdaContrastive to 0 for the mlp head")
        }
        let (batch, classes, d) = (scores.batch, scores.classes, scores.featureDimension)
        var pairs = [FeatureClassPair]()
        for sample in 0..<batch {
            for classIndex in 0..<classes where labels[sample * classes + classIndex] > 0.5 {
                pairs.append(FeatureClassPair(row: scores.featureRows == 1 ? sample : sample * classes + classIndex,
                                              classIndex: classIndex))
            }
        }
        return backend.prototypeContrastive(
            features: backend.tensor(shape: [batch * scores.featureRows, d], values: scores.features),
            prototypes: backend.tensor(shape: [classes, d], values: prototypes), pairs: pairs,
            inverseTemperature: 1 / configuration.temperature,
            weight: configuration.lambdaContrastive / Float(batch), prototypeGradient: scores.prototypesAreTrainable)
    }
}
