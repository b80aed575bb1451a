import Foundation
import NeuralNet

/// A federated method: one type owning its name, head, loss, options, client half and server half
/// (trainer.md, "Methods"). The server half keeps the method's typed state (checkpointed); the client half turns a
/// message (global model plus the sets `messageSets(for:)` returns) into a local objective and a reply.
///
/// Every method is built from the run's configuration, on the server and on every client alike:
/// `init(configuration:clientCount:)`. Aggregation defaults to the weighted mean (`averaged(_:weights:)`).
public protocol FederatedMethod: Sendable {
    /// The `--method` value, also recorded in run.json and report.json.
    static var name: String { get }
    /// The paper's display name (report.md, the plot's title).
    static var displayName: String { get }
    /// The ResNet-18 head the method trains with.
    static var head: HeadKind { get }
    /// True when the method trains with FedNCAlign-ML's full loss (BCE + rejection + contrastive); the baselines
    /// train with BCE only whatever `--lambda-*` say. Default false.
    static var trainsWithAlignmentLoss: Bool { get }
    /// False for centralized training: one pooled client, simulated only (`server start` refuses it). Default true.
    static var isFederated: Bool { get }
    /// True when the run ends with a statistics step over every client (SphereFed's calibration). Default false.
    static var needsFeatureStatistics: Bool { get }

    /// The method for a run with `clientCount` clients (1 for centralized).
    init(configuration: RunConfiguration, clientCount: Int)

    // MARK: Server half

    /// Sets sent to `client` beside the global model (each with the model's layout). Default none.
    func messageSets(for client: Int) -> [String: ParameterSet]

    /// The next global model from the participants' replies (in client-index order); `weights` are the
    /// aggregation weights, one per reply. Default: the weighted mean.
    mutating func aggregate(global: ParameterSet, replies: [ClientReply], weights: [Double]) -> ParameterSet

    /// The server state as named sets (each with the model's layout), for the checkpoint. Default none.
    func checkpointState() -> [String: ParameterSet]

    /// Restores what `checkpointState` returned.
    mutating func restoreState(_ sets: [String: ParameterSet]) throws(CheckpointError)

    /// The statistics step's server half (methods with `needsFeatureStatistics`): the calibrated classifier from
    /// every client's statistics in client order. Default: none.
    func calibrate(statistics: [FeatureStatistics], dimension: Int,
                   classCount: Int) throws(TrainingError) -> CalibratedLinearHead?

    // MARK: Client half

    /// Whether local training must collect the mean squared loss gradients (`LocalOutcome.squaredGradientMean`).
    var needsSquaredGradients: Bool { get }

    /// Adds the method's term to the loss gradient at one local step; `parameters` are the current local values.
    func adjustLocalGradients(_ gradients: inout ParameterSet, parameters: ParameterSet, context: ClientContext)

    /// After local training: the reply's extra sets and the state the client keeps for its next round (empty:
    /// none). Default: nothing.
    func finishLocalTraining(_ outcome: LocalOutcome, context: ClientContext)
        -> (replySets: [String: ParameterSet], clientState: [String: ParameterSet])
}

/// What the client half sees during one local round.
public struct ClientContext: Sendable {
    /// Client index (0-based).
    public var client: Int
    /// The round's global model.
    public var global: ParameterSet
    /// The method's sets from the message (`messageSets(for:)`).
    public var messageSets: [String: ParameterSet]
    /// The state this client kept from its last round (`finishLocalTraining`), empty before its first.
    public var clientState: [String: ParameterSet]
    /// The clients' step size (`--lr`).
    public var learningRate: Float

    public init(client: Int, global: ParameterSet, messageSets: [String: ParameterSet] = [:],
                clientState: [String: ParameterSet] = [:], learningRate: Float) {
        self.client = client
        self.global = global
        self.messageSets = messageSets
        self.clientState = clientState
        self.learningRate = learningRate
    }
}

/// What one client's local training produced.
public struct LocalOutcome: Sendable {
    /// The client's parameters and buffers after local training.
    public var parameters: ParameterSet
    /// Samples in the client's shard.
    public var sampleCount: Int
    /// Optimiser steps taken (SCAFFOLD's `K`).
    public var localSteps: Int
    /// Mean training loss over the local steps.
    public var meanLoss: Double
    /// Mean over the local steps of the squared loss gradients (trainable entries; FedCurv's diagonal Fisher),
    /// present only when the method asks for it.
    public var squaredGradientMean: ParameterSet?

    public init(parameters: ParameterSet, sampleCount: Int, localSteps: Int, meanLoss: Double,
                squaredGradientMean: ParameterSet? = nil) {
        self.parameters = parameters
        self.sampleCount = sampleCount
        self.localSteps = localSteps
        self.meanLoss = meanLoss
        self.squaredGradientMean = squaredGradientMean
    }
}

/// One training reply as the server half sees it.
public struct ClientReply: Sendable {
    public var client: Int
    /// The client's model after local training.
    public var parameters: ParameterSet
    public var sampleCount: Int
    public var localSteps: Int
    public var meanLoss: Double
    /// The method's extra sets (`finishLocalTraining`).
    public var sets: [String: ParameterSet]

    public init(client: Int, parameters: ParameterSet, sampleCount: Int, localSteps: Int, meanLoss: Double,
                sets: [String: ParameterSet] = [:]) {
        self.client = client
        self.parameters = parameters
        self.sampleCount = sampleCount
        self.localSteps = localSteps
        self.meanLoss = meanLoss
        self.sets = sets
    }
}

extension FederatedMethod {
    public static var trainsWithAlignmentLoss: Bool { false }
    public static var isFederated: Bool { true }
    public static var needsFeatureStatistics: Bool { false }

    public func messageSets(for client: Int) -> [String: ParameterSet] { [:] }

    public mutating func aggregate(global: ParameterSet, replies: [ClientReply], weights: [Double]) -> ParameterSet {
        averaged(replies, weights: weights)
    }

    /// The weighted mean of the replies' models, every parameter and buffer (batch-norm running statistics are
    /// averaged too): `w = sum_i p_i w_i` with `p_i = weights_i / sum(weights)`, accumulated in Double; the
    /// batch-norm counters (`num_batches_tracked`) are then rounded to whole numbers (PyTorch keeps them as int64).
    public func averaged(_ replies: [ClientReply], weights: [Double]) -> ParameterSet {
        ParameterSet.weightedMean(replies.map(\.parameters), weights: weights).roundingCounters()
    }

    public func checkpointState() -> [String: ParameterSet] { [:] }

    public mutating func restoreState(_ sets: [String: ParameterSet]) throws(CheckpointError) {}

    public func calibrate(statistics: [FeatureStatistics], dimension: Int,
                          classCount: Int) throws(TrainingError) -> CalibratedLinearHead? { nil }

    public var needsSquaredGradients: Bool { false }

    public func adjustLocalGradients(_ gradients: inout ParameterSet, parameters: ParameterSet,
                                     context: ClientContext) {}

    public func finishLocalTraining(_ outcome: LocalOutcome, context: ClientContext)
        -> (replySets: [String: ParameterSet], clientState: [String: ParameterSet]) { ([:], [:]) }

    /// The display name of the instance's type.
    public var displayName: String { Self.displayName }
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
