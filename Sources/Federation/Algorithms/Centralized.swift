import NeuralNet

/// Centralized training, the upper bound: one "client" holding the union of all shards, trained for
/// `--local-epochs` epochs per round with the same optimiser, batch size and validation schedule. Aggregating a
/// single outcome returns it unchanged.
public struct Centralized: FederatedAlgorithm {
    public init() {}

    /// The union of the shards, in client order: the single client of a centralized run.
    public static func pooledClient(_ shards: [LabeledImages]) -> LabeledImages {
        LabeledImages.concatenating(shards)
    }

    public mutating func aggregate(global: ParameterSet, outcomes: [ClientOutcome], weights: [Double],
                                   learningRate: Float) -> ParameterSet {
        precondition(outcomes.count == 1, "centralized training has one client")
        return outcomes[0].parameters
    }
}
