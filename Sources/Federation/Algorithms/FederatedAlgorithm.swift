import NeuralNet

/// The methods `fednc-train --method` accepts.
public enum FederatedMethod: String, Codable, Sendable, CaseIterable {
    case fedncalign, fedavg, fedprox, fedcurv, scaffold, spherefed, centralized
}

/// What one client returns after local training.
public struct ClientOutcome: Sendable {
    /// Client index in the shard folder (0-based).
    public var client: Int
    /// The client's parameters and buffers after local training.
    public var parameters: ParameterSet
    /// Number of training samples the client holds (FedAvg's weight).
    public var sampleCount: Int
    /// Optimiser steps taken (SCAFFOLD's `K`).
    public var localSteps: Int
    /// Mean training loss over the local steps.
    public var meanLoss: Double
    /// Mean over the local steps of the squared loss gradients (trainable entries; FedCurv's diagonal Fisher),
    /// present only when the algorithm asks for it.
    public var squaredGradientMean: ParameterSet?

    public init(client: Int, parameters: ParameterSet, sampleCount: Int, localSteps: Int, meanLoss: Double,
                squaredGradientMean: ParameterSet?) {
        self.client = client
        self.parameters = parameters
        self.sampleCount = sampleCount
        self.localSteps = localSteps
        self.meanLoss = meanLoss
        self.squaredGradientMean = squaredGradientMean
    }
}

/// A federated algorithm owns both sides: the client's local objective (a gradient term added at every local
/// step) and the server's aggregation, with any state they share (control variates, Fisher terms) as typed,
/// checkpointed values.
public protocol FederatedAlgorithm: Sendable {
    /// Whether clients must report `squaredGradientMean`.
    var needsSquaredGradients: Bool { get }

    /// Client side: adds the algorithm's term to the loss gradient at one local step of `client`.
    /// `parameters` are the current local values, `global` the round's starting model.
    func adjustLocalGradients(_ gradients: inout ParameterSet, parameters: ParameterSet, global: ParameterSet,
                              client: Int)

    /// Server side: the next global model from the participating clients' outcomes; `weights` are the
    /// aggregation weights (sample counts or equal), one per outcome; `learningRate` is the clients' step size.
    mutating func aggregate(global: ParameterSet, outcomes: [ClientOutcome], weights: [Double],
                            learningRate: Float) -> ParameterSet

    /// The algorithm's state as named sets (each with the model's layout), for the checkpoint.
    func checkpointState() -> [String: ParameterSet]

    /// Restores what `checkpointState` returned.
    mutating func restoreState(_ sets: [String: ParameterSet]) throws(CheckpointError)
}

extension FederatedAlgorithm {
    public var needsSquaredGradients: Bool { false }

    public func adjustLocalGradients(_ gradients: inout ParameterSet, parameters: ParameterSet,
                                     global: ParameterSet, client: Int) {}

    public func checkpointState() -> [String: ParameterSet] { [:] }

    public mutating func restoreState(_ sets: [String: ParameterSet]) throws(CheckpointError) {}
}

extension ParameterSet {
    /// `self += scale * other` over the trainable entries only (buffers untouched).
    mutating func addTrainable(_ other: ParameterSet, scaledBy scale: Float = 1) {
        precondition(hasSameLayout(as: other), "parameter layouts differ")
        other.values.withUnsafeBufferPointer { source in
            values.withUnsafeMutableBufferPointer { target in
                for entry in entries where entry.isTrainable {
                    for index in entry.range { target[index] += scale * source[index] }
                }
            }
        }
    }
}
