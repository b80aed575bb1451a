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
/// Runs as the backend's `adamWUpdate` over the flat `ParameterSet` (on the CPU one fused loop split into
/// contiguous element ranges over the engine's workers). Entries with `isTrainable == false` (batch-norm running
/// statistics, fixed classifiers) are never touched. An entry tied to another at every step
/// (`ParameterTie.Timing.everyStep`) is updated after the first pass, on its owner's values, as PyTorch does for two
/// parameters sharing storage. Weight decay follows `weightDecayRule`: by default only entries of rank >= 2
/// (convolution and linear weights, learnable queries); biases, norm weights and the logit scale `s` (rank <= 1)
/// get none, as the paper's protocol asks. A fresh value starts with zero moments (the protocol creates one per
/// round).
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
    /// The backend that runs the update (`EngineBackend.adamWUpdate`) and holds the moments. Default `CPUBackend()`;
    /// the trainer passes the model's.
    public let backend: any EngineBackend
    private var firstMoment: Tensor?
    private var secondMoment: Tensor?

    public init(learningRate: Float = 1e-4, beta1: Float = 0.9, beta2: Float = 0.98, epsilon: Float = 1e-8,
                weightDecay: Float = 0.01, backend: any EngineBackend = CPUBackend()) {
        self.backend = backend
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// `exp_avg` over the flat state, in the parameters' layout (empty before the first step).
    public var firstMoments: [Float] { firstMoment.map(backend.download) ?? [] }
    /// `exp_avg_sq` over the flat state, in the parameters' layout (empty before the first step).
    public var secondMoments: [Float] { secondMoment.map(backend.download) ?? [] }

    /// True when AdamW's default rule decays entry `entry` (rank >= 2 and trainable).
    public static func appliesWeightDecay(to entry: ParameterSet.Entry) -> Bool {
        WeightDecayRule.rankAtLeastTwo.decays(entry)
    }

    /// One update of every trainable entry of `parameters` with `gradients` (same layout), on `backend`.
    public mutating func step(_ parameters: inout ParameterSet, gradients: ParameterSet) {
        precondition(parameters.hasSameLayout(as: gradients), "AdamW: gradient layout differs from the parameters")
        var first = firstMoment ?? backend.zeros([parameters.count])
        var second = secondMoment ?? backend.zeros([parameters.count])
        (firstMoment, secondMoment) = (nil, nil)  // the moments stay uniquely referenced: updated in place
        precondition(first.count == parameters.count, "AdamW: parameter count changed between steps")
        stepCount += 1
        let step = Float(stepCount)
        let constants = AdamWStep(beta1: beta1, beta2: beta2, epsilon: epsilon,
                                  stepSize: learningRate / (1 - powf(beta1, step)),
                                  biasCorrection2Root: (1 - powf(beta2, step)).squareRoot())
        let decayFactor = 1 - learningRate * weightDecay
        // Multiplying by 1 is exact, so entries without decay need no branch.
        let rule = weightDecayRule
        let decay = { (entry: ParameterSet.Entry) -> Float in rule.decays(entry) ? decayFactor : 1 }
        let entries = parameters.entries
        let segments = entries.filter { $0.isTrainable && $0.tie?.timing != .everyStep }
            .map { AdamWSegment(elements: $0.range, decay: decay($0)) }
        var arena = backend.tensor(shape: [parameters.count], values: parameters.values)
        parameters.values = []  // the arena's elements are now uniquely referenced: updated in place, not copied
        let gradient = backend.tensor(shape: [gradients.count], values: gradients.values)
        backend.adamWUpdate(parameters: &arena, gradients: gradient, firstMoments: &first, secondMoments: &second,
                            segments: segments, step: constants)
        // The second update of a tied entry (PyTorch's single-tensor AdamW over two parameters sharing storage, in
        // parameter order): the alias's gradient and moments update the owner's already-updated values (decaying
        // them again when the rule decays the alias), then the alias takes a copy of the result.
        for alias in entries where alias.isTrainable && alias.tie?.timing == .everyStep {
            guard let ownerName = alias.tie?.owner, let owner = parameters.entry(named: ownerName) else {
                preconditionFailure("AdamW: \(alias.name) repeats an unknown entry")
            }
            let segment = AdamWSegment(elements: alias.range, parameterShift: owner.offset - alias.offset,
                                       decay: decay(alias))
            backend.adamWUpdate(parameters: &arena, gradients: gradient, firstMoments: &first,
                                secondMoments: &second, segments: [segment], step: constants)
            backend.copyElements(&arena, from: owner.offset, to: alias.offset, count: owner.count)
        }
        parameters.values = backend.download(arena)
        (firstMoment, secondMoment) = (first, second)
    }
}
