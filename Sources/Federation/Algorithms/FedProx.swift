import NeuralNet

/// FedProx - Li et al., "Federated Optimization in Heterogeneous Networks", MLSys 2020.
///
/// Client: minimises `loss(w) + mu/2 ||w - w_global||^2`, i.e. at every local step
/// `gradient += mu (w - w_global)` over the trainable entries (`--mu`, default 0.01). Server: FedAvg.
public struct FedProx: FederatedAlgorithm {
    /// Proximal coefficient `mu`.
    public let mu: Float

    public init(mu: Float = 0.01) {
        precondition(mu >= 0, "mu must be non-negative")
        self.mu = mu
    }

    public func adjustLocalGradients(_ gradients: inout ParameterSet, parameters: ParameterSet,
                                     global: ParameterSet, client: Int) {
        guard mu != 0 else { return }
        gradients.addTrainable(parameters, scaledBy: mu)
        gradients.addTrainable(global, scaledBy: -mu)
    }

    public mutating func aggregate(global: ParameterSet, outcomes: [ClientOutcome], weights: [Double],
                                   learningRate: Float) -> ParameterSet {
        ParameterSet.weightedMean(outcomes.map(\.parameters), weights: weights)
    }
}
