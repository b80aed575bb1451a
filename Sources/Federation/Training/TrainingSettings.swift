/// The federated protocol's knobs (defaults = the paper): 100 rounds, 1 local epoch, batch 32, AdamW lr 1e-4,
/// full participation, sample-count aggregation weights.
public struct TrainingSettings: Codable, Sendable, Equatable {
    /// Communication rounds (epochs for `centralized`).
    public var rounds: Int = 100
    /// Local epochs per round.
    public var localEpochs: Int = 1
    /// Mini-batch size; a trailing batch of a single sample is skipped (batch norm needs two).
    public var batchSize: Int = 32
    /// Client step size (AdamW learning rate; SCAFFOLD's `lr`).
    public var learningRate: Float = 1e-4
    /// Fraction of clients taking part in each round, in (0, 1]; the participants are drawn per round from
    /// stream `participation/<round>`.
    public var participation: Double = 1
    /// Aggregate with equal weights instead of sample counts.
    public var equalWeights: Bool = false
    /// Seeds the model's initialisation, every shuffle and the participant draws.
    public var seed: UInt64 = 0
    /// Batch size of evaluation passes (no effect on results).
    public var evaluationBatchSize: Int = 64

    public init() {}
}
