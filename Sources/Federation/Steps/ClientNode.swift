import Foundation
import NeuralNet
import TensorEngine

/// The client half of every step on one node: runs a message on the node's data and returns the reply. The same
/// code serves `fednc-train client step` (one message per process) and the in-process loop of `fednc-train train`.
/// Keeps the model between steps (rebuilt when the configuration changes) and the client's state in `stateStore`.
public final class ClientNode {
    public let stateStore: ClientStateStore
    fileprivate var model: (any FederatedModel)?
    private var modelConfiguration: RunConfiguration?

    public init(stateStore: ClientStateStore) {
        self.stateStore = stateStore
    }

    /// Runs `message` on `data` (the client's shard, or the pooled shards for centralized training).
    public func step(_ message: StepMessage, data: LabeledImages,
                     progress: (LocalTraining.Step) -> Void = { _ in }) throws -> StepReply {
        let header = message.header, configuration = header.configuration
        guard EngineThreads.workerCount == header.threads else {
            throw StepError("client \(header.client): the run uses \(header.threads) engine threads but this process "
                            + "has \(EngineThreads.workerCount); run the step with --threads \(header.threads)")
        }
        guard data.classCount == configuration.modelConfiguration.classCount else {
            throw StepError("client \(header.client): the shard has \(data.classCount) classes, the run "
                            + "\(configuration.modelConfiguration.classCount); pass the run's shards")
        }
        var model = try self.model(for: configuration)
        model.state = message.model
        var reply = StepReply.Header(
            format: StepReply.format, runID: header.runID, round: header.round, kind: header.kind,
            client: header.client, partitionSHA256: header.partitionSHA256, shardSHA256: header.shardSHA256,
            codeVersion: FederatedRun.codeVersion, threads: EngineThreads.workerCount, plannedAt: header.plannedAt,
            sampleCount: data.count, localSteps: 0, meanLoss: 0, sets: [])
        defer { self.model = model }
        switch header.kind {
        case .statistics:
            let statistics = FeatureStatistics(model: model, data: data,
                                               batchSize: configuration.training.evaluationBatchSize)
            return StepReply(header: reply, model: nil, sets: [:], statistics: statistics)
        case .train:
            let method = try configuration.methodType().init(configuration: configuration,
                                                              clientCount: header.clientCount)
            let context = ClientContext(
                client: header.client, global: message.model, messageSets: message.sets,
                clientState: try stateStore.load(runID: header.runID, client: header.client, before: header.round,
                                                 layout: message.model),
                learningRate: configuration.training.learningRate)
            let schedule = configuration.effectiveProtocol.learningRateSchedule
            let outcome = LocalTraining(settings: configuration.training, schedule: schedule).run(
                model: &model, data: data, round: header.round, context: context, method: method,
                optimizer: { Self.optimizer(for: configuration) }, progress: progress)
            let finished = method.finishLocalTraining(outcome, context: context)
            try stateStore.save(finished.clientState, runID: header.runID, client: header.client, round: header.round)
            reply.localSteps = outcome.localSteps
            reply.meanLoss = outcome.meanLoss
            reply.sets = finished.replySets.keys.sorted()
            return StepReply(header: reply, model: outcome.parameters, sets: finished.replySets, statistics: nil)
        }
    }

    /// A client's fresh optimiser for one round: AdamW at `--lr` with the run's weight-decay rule (the learning-rate
    /// schedule is applied per step by `LocalTraining`).
    public static func optimizer(for configuration: RunConfiguration) -> AdamW {
        var optimizer = AdamW(learningRate: configuration.training.learningRate, backend: ModelFactory.engineBackend)
        optimizer.weightDecayRule = configuration.effectiveProtocol.weightDecayRule
        return optimizer
    }

    fileprivate func model(for configuration: RunConfiguration) throws -> any FederatedModel {
        if let model, modelConfiguration == configuration { return model }
        let made = try ModelFactory.make(configuration, classCount: configuration.modelConfiguration.classCount,
                                         loadingPretrained: false)
        modelConfiguration = configuration
        return made
    }
}

extension ClientNode {
    /// The layout of the model `configuration` describes (builds and keeps the model), to read a message.
    public func layout(for configuration: RunConfiguration) throws -> ParameterSet {
        let made = try model(for: configuration)
        model = made
        return made.state
    }
}
