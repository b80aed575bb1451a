/// The learning rate of each local step within one client round (`--lr-schedule`).
public struct LearningRateSchedule: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The nominal rate at every step (the paper's protocol; FedNC's default).
        case constant
        /// The authors' code: `transformers.get_polynomial_decay_schedule_with_warmup(power=1, lr_end=0)`,
        /// built afresh for every client round with `num_training_steps = batches per local epoch * nominalEpochs`
        /// and `num_warmup_steps = int(0.1 * num_training_steps)`.
        case warmupLinear = "warmup-linear"
    }

    public var kind: Kind
    /// The authors' `--num_epochs` (default 15; their scripts never set it), which sizes the schedule only: the
    /// round still runs the trainer's local epochs, so with 1 local epoch the rate ramps from 0 to about 2/3 of
    /// the nominal rate and never decays.
    public var nominalEpochs: Int
    /// Warm-up fraction of the schedule (the authors hard-code 0.1).
    public var warmupRatio: Double

    public init(kind: Kind, nominalEpochs: Int = 15, warmupRatio: Double = 0.1) {
        precondition(nominalEpochs >= 1, "LearningRateSchedule: nominalEpochs must be at least 1")
        self.kind = kind
        self.nominalEpochs = nominalEpochs
        self.warmupRatio = warmupRatio
    }

    public static let constant = LearningRateSchedule(kind: .constant)

    /// The factor on the nominal rate for the `step`-th optimiser step of a round (0-based: PyTorch's scheduler
    /// gives the first step factor 0 under warm-up), for a client with `batchesPerEpoch` batches per epoch.
    public func multiplier(step: Int, batchesPerEpoch: Int) -> Float {
        switch kind {
        case .constant:
            return 1
        case .warmupLinear:
            let total = max(1, batchesPerEpoch) * nominalEpochs
            let warmup = Int(Double(total) * warmupRatio)
            if step < warmup { return Float(Double(step) / Double(max(1, warmup))) }
            if step > total || total == warmup { return 0 }
            return Float(1 - Double(step - warmup) / Double(total - warmup))
        }
    }
}
