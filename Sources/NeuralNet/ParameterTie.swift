/// How a `ParameterSet` entry repeats another entry, its owner: a second registration of one PyTorch tensor (two
/// `nn.Parameter` objects over one storage). The alias has its own gradient and its own AdamW moments.
public struct ParameterTie: Sendable, Equatable {
    /// When the alias and its owner are made equal again.
    public enum Timing: String, Sendable {
        /// At every optimiser step: AdamW applies the alias's update to the owner's values right after the owner's
        /// own update (PyTorch's single-tensor AdamW over two parameters sharing storage), then copies the result
        /// into the alias (`ETFTraining.authorsDoubleUpdate`).
        case everyStep
        /// Only at aggregation: between rounds both train as separate tensors, and the aggregated alias overwrites
        /// the aggregated owner (`ETFTraining.authorsUntied`, `ParameterSet.applyingAggregationTies()`).
        case atAggregation
    }

    /// The entry whose values the alias repeats.
    public let owner: String
    public let timing: Timing

    public init(owner: String, timing: Timing) {
        self.owner = owner
        self.timing = timing
    }
}
