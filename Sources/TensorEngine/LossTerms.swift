import Foundation

/// The binary cross-entropy part of a multi-label loss on one batch of logits.
public struct BinaryCrossEntropyTerms: Sendable {
    /// `[1]`: the sum over included elements of `max(x, 0) - x * y + log(1 + exp(-|x|))`, in float32, added in
    /// index order starting from 0.
    public var sum: Tensor
    /// The logits' shape: `(sigmoid(x) - y) * gradientScale` at included elements, 0 elsewhere.
    public var gradient: Tensor
}

/// BCE with logits per element, summed (not averaged) in float32 in index order, and its gradient scaled by
/// `gradientScale` (`1 / B` for a batch mean; 1 is exact). `included` (the logits' element count, 0 = skip) limits
/// both to some elements, e.g. FedLGT's unknown labels; nil includes all.
func binaryCrossEntropyTerms(logits: Tensor, targets: Tensor, included: Tensor?, gradientScale: Float)
    -> BinaryCrossEntropyTerms {
    precondition(logits.count == targets.count && (included?.count ?? logits.count) == logits.count,
                 "binaryCrossEntropyTerms: \(logits.count) logits, \(targets.count) targets, "
                 + "\(included?.count ?? logits.count) mask elements")
    var gradient = Tensor.zeros(logits.shape)
    var sum: Float = 0
    let mask = included?.storage
    logits.withUnsafePointer { z in
        targets.withUnsafePointer { t in
            gradient.withUnsafeMutablePointer { g in
                for index in 0..<logits.count where mask.map({ $0[index] != 0 }) ?? true {
                    let (x, y) = (z[index], t[index])
                    sum += max(x, 0) - x * y + log1pf(expf(-abs(x)))
                    g[index] = (stableSigmoid(x) - y) * gradientScale
                }
            }
        }
    }
    return BinaryCrossEntropyTerms(sum: Tensor(shape: [1], storage: [sum]), gradient: gradient)
}

/// A feature row and the class it is a positive of (one term of the prototype contrastive loss).
public struct FeatureClassPair: Sendable, Equatable {
    public let row: Int
    public let classIndex: Int

    public init(row: Int, classIndex: Int) {
        (self.row, self.classIndex) = (row, classIndex)
    }
}

/// The prototype contrastive loss's value and gradients.
public struct PrototypeContrastiveTerms: Sendable {
    /// `[1]`: the unweighted sum over pairs of `-log softmax_j(cos(f, w_j) / temperature)[c]`.
    public var sum: Tensor
    /// `[rows, d]`: `weight` times the sum's gradient w.r.t. the features.
    public var featureGradient: Tensor
    /// `[K, d]`: `weight` times its gradient w.r.t. the prototypes, when asked for; else nil.
    public var prototypeGradient: Tensor?
}

/// For each pair (feature row `f`, class `c`) in order: `cos_j = <f, w_j> / (max(|f|, 1e-12) max(|w_j|, 1e-12))`
/// against every prototype row `w_j` of `prototypes` `[K, d]`, the term `-log softmax_j(cos_j *
/// inverseTemperature)[c]` (max-shifted), and `weight *` its gradients, accumulated pair by pair, class by class
/// (float32, sequential).
func prototypeContrastive(features: Tensor, prototypes: Tensor, pairs: [FeatureClassPair],
                          inverseTemperature: Float, weight: Float, prototypeGradient wantsPrototypeGradient: Bool)
    -> PrototypeContrastiveTerms {
    precondition(prototypes.rank == 2, "prototypeContrastive: prototypes must be [K, d], got \(prototypes.shape)")
    let (classes, d) = (prototypes.shape[0], prototypes.shape[1])
    precondition(d > 0 && features.count % d == 0,
                 "prototypeContrastive: \(features.count) feature values are not rows of \(d)")
    let (f, w) = (features.storage, prototypes.storage)
    var gradient = [Float](repeating: 0, count: features.count)
    var prototypeGradient: [Float]? = wantsPrototypeGradient ? [Float](repeating: 0, count: prototypes.count) : nil
    let prototypeNorms = (0..<classes).map { row in
        max(sqrtf(w[(row * d)..<((row + 1) * d)].reduce(0) { $0 + $1 * $1 }), 1e-12)
    }
    var total: Float = 0
    var cosines = [Float](repeating: 0, count: classes)
    for pair in pairs {
        precondition(pair.classIndex >= 0 && pair.classIndex < classes && (pair.row + 1) * d <= features.count,
                     "prototypeContrastive: pair \(pair) outside \(features.count / d) rows, \(classes) classes")
        let base = pair.row * d
        var squared: Float = 0
        for index in base..<(base + d) { squared += f[index] * f[index] }
        let length = max(sqrtf(squared), 1e-12)
        var maximum = -Float.infinity
        for j in 0..<classes {
            var dot: Float = 0
            for index in 0..<d { dot += f[base + index] * w[j * d + index] }
            cosines[j] = dot / (length * prototypeNorms[j])
            maximum = max(maximum, cosines[j] * inverseTemperature)
        }
        var sum: Float = 0
        for j in 0..<classes { sum += expf(cosines[j] * inverseTemperature - maximum) }
        total += -(cosines[pair.classIndex] * inverseTemperature - maximum - logf(sum))
        // d loss / d cos_j = (softmax_j - [j == c]) / temperature
        for j in 0..<classes {
            let probability = expf(cosines[j] * inverseTemperature - maximum) / sum
            let cosineGradient = weight * (probability - (j == pair.classIndex ? 1 : 0)) * inverseTemperature
            guard cosineGradient != 0 else { continue }
            let scaleW = cosineGradient / (length * prototypeNorms[j])
            let scaleF = cosineGradient * cosines[j] / (length * length)
            for index in 0..<d {
                gradient[base + index] += scaleW * w[j * d + index] - scaleF * f[base + index]
            }
            if prototypeGradient != nil {
                // d cos / d w = f / (|f| |w|) - cos w / |w|^2
                let scaleP = cosineGradient * cosines[j] / (prototypeNorms[j] * prototypeNorms[j])
                for index in 0..<d {
                    prototypeGradient![j * d + index] += scaleW * f[base + index] - scaleP * w[j * d + index]
                }
            }
        }
    }
    return PrototypeContrastiveTerms(
        sum: Tensor(shape: [1], storage: [total]), featureGradient: Tensor(shape: features.shape, storage: gradient),
        prototypeGradient: prototypeGradient.map { Tensor(shape: prototypes.shape, storage: $0) })
}
