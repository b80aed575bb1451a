import NeuralNet

/// FedAvg - McMahan et al., "Communication-Efficient Learning of Deep Networks from Decentralized Data",
/// AISTATS 2017.
///
/// Client: plain local training from the global model. Server: `w = sum_i p_i w_i` with `p_i` proportional to the
/// aggregation weights (sample counts by default), over every parameter and buffer (batch-norm running
/// statistics are averaged too).
public struct FedAvg: FederatedAlgorithm {
    public init() {}

    public mutating func aggregate(global: ParameterSet, outcomes: [ClientOutcome], weights: [Double],
                                   learningRate: Float) -> ParameterSet {
        ParameterSet.weightedMean(outcomes.map(\.parameters), weights: weights)
    }
}
