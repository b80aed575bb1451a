import Foundation
import NeuralNet

/// Simulates federated training on one machine: each round, the participating clients train one after another
/// (each with all cores) from the global model, the algorithm aggregates, and the new global model is validated.
/// The round with the best validation macro-AUC is kept (ties: the earlier round); the test split is never
/// looked at here.
public struct FederatedSimulation<Model: FederatedModel> {
    public let settings: TrainingSettings
    /// Client shards (one for `centralized`).
    public let clients: [LabeledImages]
    public let validation: LabeledImages
    public private(set) var algorithm: any FederatedAlgorithm
    /// Work model: holds the global state between rounds, each client's state during its local training.
    public private(set) var model: Model
    /// Everything needed to continue (and to resume a killed run).
    public private(set) var snapshot: SimulationSnapshot
    private let makeOptimizer: () -> any ParameterOptimizer

    public init(model: Model, algorithm: any FederatedAlgorithm, clients: [LabeledImages],
                validation: LabeledImages, settings: TrainingSettings,
                optimizer makeOptimizer: @escaping () -> any ParameterOptimizer) throws(TrainingError) {
        guard !clients.isEmpty else { throw .invalidSetting("no clients") }
        guard settings.rounds > 0, settings.localEpochs > 0, settings.batchSize > 0, settings.evaluationBatchSize > 0
        else { throw .invalidSetting("rounds, local epochs and batch sizes must be positive") }
        guard settings.participation > 0, settings.participation <= 1 else {
            throw .invalidSetting("--participation must be in (0, 1], got \(settings.participation)")
        }
        for (index, client) in clients.enumerated() where client.classCount != validation.classCount {
            throw .dataMismatch("client \(index) has \(client.classCount) classes, validation \(validation.classCount)")
        }
        self.settings = settings
        self.clients = clients
        self.validation = validation
        self.algorithm = algorithm
        self.model = model
        self.makeOptimizer = makeOptimizer
        self.snapshot = SimulationSnapshot(globalState: model.state)
    }

    /// True once `settings.rounds` rounds are done.
    public var isFinished: Bool { snapshot.completedRounds >= settings.rounds }

    /// Continues from a checkpoint: global state, best round, history and algorithm state.
    public mutating func restore(_ saved: SimulationSnapshot, algorithmState: [String: ParameterSet]) throws(CheckpointError) {
        guard saved.globalState.hasSameLayout(as: snapshot.globalState) else {
            throw .layoutMismatch("the checkpoint's model does not match the configured model")
        }
        try algorithm.restoreState(algorithmState)
        snapshot = saved
        model.state = saved.globalState
    }

    /// Runs the next round and returns its record.
    @discardableResult
    public mutating func runRound(progress: (LocalTraining.Step) -> Void = { _ in }) -> RoundRecord {
        precondition(!isFinished, "all rounds are done")
        let started = Date()
        let round = snapshot.completedRounds + 1
        let global = snapshot.globalState
        let participants = ClientSelection.participants(round: round, clientCount: clients.count,
                                                        fraction: settings.participation, seed: settings.seed)
        let training = LocalTraining(settings: settings)
        var outcomes = [ClientOutcome]()
        for client in participants {
            model.state = global
            outcomes.append(training.run(model: &model, data: clients[client], client: client, round: round,
                                         global: global, algorithm: algorithm, optimizer: makeOptimizer,
                                         progress: progress))
        }
        let weights = outcomes.map { settings.equalWeights ? 1 : Double($0.sampleCount) }
        let next = algorithm.aggregate(global: global, outcomes: outcomes, weights: weights,
                                       learningRate: settings.learningRate)
        model.state = next
        let validationMetrics = Evaluation.metrics(model: model, data: validation,
                                                   batchSize: settings.evaluationBatchSize)
        let record = RoundRecord(
            round: round,
            clients: outcomes.map {
                RoundRecord.ClientRecord(client: $0.client, sampleCount: $0.sampleCount, localSteps: $0.localSteps,
                                         meanLoss: $0.meanLoss)
            },
            validation: validationMetrics, seconds: Date().timeIntervalSince(started))
        snapshot.record(record, state: next)
        return record
    }
}
