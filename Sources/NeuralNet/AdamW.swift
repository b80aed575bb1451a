import Foundation
import TensorEngine

/// AdamW with decoupled weight decay, matching `torch.optim.AdamW` (single-tensor path) update for update:
///
///     t += 1
///     p *= 1 - lr * wd                         (only entries that decay)
///     m += (g - m) * (1 - beta1)
///     v  = beta2 * v + (1 - beta2) * g * g
///     p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
///
/// Runs as one fused loop over the flat `ParameterSet`, split into contiguous element ranges over the engine's
/// workers. Entries with `isTrainable == false` (batch-norm running statistics, fixed classifiers) are never
/// touched. An entry tied to another at every step (`ParameterTie.Timing.everyStep`) is updated after the parallel
/// pass, on its owner's values, as PyTorch does for two parameters sharing storage. Weight decay follows
/// `weightDecayRule`: by default only entries of rank >= 2 (convolution and linear weights, learnable queries);
/// biases, norm weights and the logit scale `s` (rank <= 1) get none, as the paper's protocol asks. A fresh value
/// starts with zero moments (the protocol creates one per round).
public struct AdamW: Sendable {
    /// Step size. Default 1e-4.
    public var learningRate: Float
    /// First-moment decay. Default 0.9.
    public var beta1: Float
    /// Second-moment decay. Default 0.98.
    public var beta2: Float
    /// Added to the denominator. Default 1e-8.
    public var epsilon: Float
    /// Decoupled weight decay factor. Default 0.01.
    public var weightDecay: Float
    /// Which entries decay. Default `.rankAtLeastTwo` (the paper's protocol).
    public var weightDecayRule: WeightDecayRule = .rankAtLeastTwo
    /// Steps taken so far.
    public private(set) var stepCount = 0
    private var firstMoment: [Float] = []
    private var secondMoment: [Float] = []
    private var decayMask: [Bool] = []

    public init(learningRate: Float = 1e-4, beta1: Float = 0.9, beta2: Float = 0.98, epsilon: Float = 1e-8,
                weightDecay: Float = 0.01) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// `exp_avg` over the flat state, in the parameters' layout (empty before the first step).
    public var firstMoments: [Float] { firstMoment }
    /// `exp_avg_sq` over the flat state, in the parameters' layout (empty before the first step).
    public var secondMoments: [Float] { secondMoment }

        /// True when AdamW's default rule decays entry `entry` (rank >= 2 and trainable).
    public static func appliesWeightDecay(to entry: ParameterSet.Entry) -> Bool {
        WeightDecayRule.rankAtLeastTwo.decays(entry)
    }

    /// One update of every trainable entry of `parameters` with `gradients` (same layout).
    public mutating func step(_ parameters: inout ParameterSet, gradients: ParameterSet) {
        precondition(parameters.hasSameLayout(as: gradients), "AdamW: gradient layout differs from the parameters")
        if firstMoment.isEmpty {
            firstMoment = [Float](repeating: 0, count: parameters.count)
            secondMoment = [Float](repeating: 0, count: parameters.count)
        }
        precondition(firstMoment.count == parameters.count, "AdamW: parameter count changed between steps")
        stepCount += 1
        let step = Float(stepCount)
        let biasCorrection1 = 1 - powf(beta1, step)
        let biasCorrection2Root = (1 - powf(beta2, step)).squareRoot()
        let stepSize = learningRate / biasCorrection1
        let decayFactor = 1 - learningRate * weightDecay
        let (beta1, beta2, epsilon, rule) = (self.beta1, self.beta2, self.epsilon, weightDecayRule)
        let entries = parameters.entries
        gradients.values.withUnsafeBufferPointer { gradient in
            parameters.values.withUnsafeMutableBufferPointer { parameter in
                firstMoment.withUnsafeMutableBufferPointer { m in
                    secondMoment.withUnsafeMutableBufferPointer { v in
                        // Elementwise, so the split over workers cannot change any result.
                        EngineThreads.parallelElementwise(total: parameter.count) { chunk in
                            for entry in entries where entry.isTrainable && entry.tie?.timing != .everyStep
                                && entry.range.overlaps(chunk) {
                                // Multiplying by 1 is exact, so entries without decay need no branch.
                                let constants = Self.UpdateConstants(
                                    decay: rule.decays(entry) ? decayFactor : 1, beta1: beta1,
                                    beta2: beta2, epsilon: epsilon, stepSize: stepSize,
                                    biasCorrection2Root: biasCorrection2Root)
                                guard let p = parameter.baseAddress, let g = gradient.baseAddress,
                                      let mBase = m.baseAddress, let vBase = v.baseAddress else { continue }
                                Self.update(entry.range.clamped(to: chunk), p: p, g: g, m: mBase, v: vBase,
                                            constants)
                            }
                        }
                    }
                }
            }
        }
        for alias in entries where alias.isTrainable && alias.tie?.timing == .everyStep {
            applyAliasUpdate(alias, to: &parameters, gradients: gradients, stepSize: stepSize,
                             biasCorrection2Root: biasCorrection2Root, decayFactor: decayFactor)
        }
    }

    /// The second update of a tied entry (PyTorch's single-tensor AdamW over two parameters sharing storage, in
    /// parameter order): the alias's gradient and moments update the owner's already-updated values (decaying
    /// them again when the rule decays the alias), then the alias takes a copy of the result.
    private mutating func applyAliasUpdate(_ alias: ParameterSet.Entry, to parameters: inout ParameterSet,
                                           gradients: ParameterSet, stepSize: Float, biasCorrection2Root: Float,
                                           decayFactor: Float) {
        guard let ownerName = alias.tie?.owner, let owner = parameters.entry(named: ownerName) else {
            preconditionFailure("AdamW: \(alias.name) repeats an unknown entry")
        }
        let constants = Self.UpdateConstants(
            decay: weightDecayRule.decays(alias) ? decayFactor : 1, beta1: beta1, beta2: beta2, epsilon: epsilon,
            stepSize: stepSize, biasCorrection2Root: biasCorrection2Root)
        gradients.values.withUnsafeBufferPointer { gradient in
            parameters.values.withUnsafeMutableBufferPointer { parameter in
                firstMoment.withUnsafeMutableBufferPointer { m in
                    secondMoment.withUnsafeMutableBufferPointer { v in
                        guard let p = parameter.baseAddress, let g = gradient.baseAddress, let mBase = m.baseAddress,
                              let vBase = v.baseAddress else { return }
                        // Element i of the alias's range updates element i of the owner's values.
                        Self.update(alias.range, p: p + (owner.offset - alias.offset), g: g, m: mBase, v: vBase,
                                    constants)
                        (p + alias.offset).update(from: p + owner.offset, count: owner.count)
                    }
                }
            }
        }
    }
}

extension AdamW {
    /// The scalars of one step for one entry.
    package struct UpdateConstants {
        package let decay: Float
        package let beta1: Float
        package let beta2: Float
        package let epsilon: Float
        package let stepSize: Float
        package let biasCorrection2Root: Float

        package init(decay: Float, beta1: Float, beta2: Float, epsilon: Float, stepSize: Float,
                     biasCorrection2Root: Float) {
            (self.decay, self.beta1, self.beta2) = (decay, beta1, beta2)
            (self.epsilon, self.stepSize, self.biasCorrection2Root) = (epsilon, stepSize, biasCorrection2Root)
        }
    }

    /// The update of elements `range`, eight lanes at a time (lane-wise IEEE operations in the scalar order, so
    /// every element gets exactly the scalar loop's value).
    package static func update(
        _ range: Range<Int>, p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
        v: UnsafeMutablePointer<Float>, _ c: UpdateConstants
    ) {
        typealias Lanes = SIMD8<Float>
        let oneMinusBeta1 = 1 - c.beta1, oneMinusBeta2 = 1 - c.beta2
        var index = range.lowerBound
        while index + 8 <= range.upperBound {
            let gradient = UnsafeRawPointer(g + index).loadUnaligned(as: Lanes.self)
            let first = UnsafeRawPointer(m + index).loadUnaligned(as: Lanes.self)
            let second = UnsafeRawPointer(v + index).loadUnaligned(as: Lanes.self)
            var parameter = UnsafeRawPointer(p + index).loadUnaligned(as: Lanes.self) * c.decay
            let firstNew = first + (gradient - first) * oneMinusBeta1
            let secondNew = second * c.beta2 + oneMinusBeta2 * gradient * gradient
            let denominator = secondNew.squareRoot() / c.biasCorrection2Root + c.epsilon
            parameter -= c.stepSize * (firstNew / denominator)
            UnsafeMutableRawPointer(m + index).storeBytes(of: firstNew, as: Lanes.self)
            UnsafeMutableRawPointer(v + index).storeBytes(of: secondNew, as: Lanes.self)
            UnsafeMutableRawPointer(p + index).storeBytes(of: parameter, as: Lanes.self)
            index += 8
        }
        while index < range.upperBound {
            var parameter = p[index] * c.decay
            let gradient = g[index]
            let firstNew = m[index] + (gradient - m[index]) * oneMinusBeta1
            let secondNew = v[index] * c.beta2 + oneMinusBeta2 * gradient * gradient
            m[index] = firstNew
            v[index] = secondNew
            let denominator = secondNew.squareRoot() / c.biasCorrection2Root + c.epsilon
            parameter -= c.stepSize * (firstNew / denominator)
            p[index] = parameter
            index += 1
        }
    }
}
