import NeuralNet

/// FedNCAlign-ML - Peng et al., "Neural Collapse-Inspired Multi-Label Federated Learning under
/// Label-Distribution Skew", arXiv 2509.12544.
///
/// The federated part is FedAvg (weighted mean of every parameter and buffer). What makes the method is in the
/// model: the fixed simplex-ETF classifier `W` (never trained, never aggregated - it is a buffer identical on
/// every client), the LADM attention head whose queries are ETF rows, and the loss
/// `BCE + lambda_rej * rejection + lambda_con * contrastive` (see NeuralNet's `ladm-etf` head).
public struct FedNCAlign: FederatedAlgorithm {
    public init() {}

    public mutating func aggregate(global: ParameterSet, outcomes: [ClientOutcome], weights: [Double],
                                   learningRate: Float) -> ParameterSet {
        ParameterSet.weightedMean(outcomes.map(\.parameters), weights: weights)
    }
}
