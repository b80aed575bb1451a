import Checksums
import Foundation
import NeuralNet

/// A training run from a shards folder into a run folder (trainer.md, "Run folder"), simulated on one machine:
/// the step loop `RunServer.plan` -> `ClientNode.step` for each participant -> `RunServer.collect`, the same
/// functions the step commands run one per process, so both write the same bytes.
///
/// - `run.json`: the `RunConfiguration` (all flags, the shard manifest's SHA-256, threads, the code version);
/// - `run-id`: the run's random ID (messages, replies, client state);
/// - `rounds.jsonl`: one `RoundRecord` per line;
/// - `checkpoint/`: written at the start and after every round (see `Checkpoint`), so `--resume` continues a
///   killed run to the same result;
/// - `client-state/`: the simulated clients' own state (SCAFFOLD's `c_i`; `ClientStateStore`);
/// - `report.json`, `report.md`: the best validation round's test metrics in the paper's layout;
/// - `validation.svg`, `validation.png`: validation metrics per round.
public struct FederatedRun {
    /// Recorded in `run.json` and carried by every message and reply; changes whenever results of the same flags
    /// or the exchange format change. Nodes with another version are refused.
    public static let codeVersion = "fednc-train/2 (federation/2)"

    public let configuration: RunConfiguration
    public let shards: ShardFolder
    public let runURL: URL

    public init(configuration: RunConfiguration, shards: ShardFolder, runURL: URL) {
        self.configuration = configuration
        self.shards = shards
        self.runURL = runURL
    }

    /// Trains every remaining round and writes the report. With `resume`, continues the run in `runURL` (whose
    /// `run.json` must equal `configuration`); otherwise starts one (`RunServer.start`).
    /// `stoppingAfterRound` ends the session early after that round (as a kill would; for tests) and returns nil.
    @discardableResult
    public func train(resume: Bool, stoppingAfterRound: Int? = nil,
                      progress: (LocalTraining.Step) -> Void = { _ in },
                      roundFinished: (RoundRecord) -> Void = { _ in }) throws -> RunReport? {
        let method = try configuration.methodType()
        let shardClients = try shards.loadClients()
        let clients = method.isFederated ? shardClients : [Centralized.pooledClient(shardClients)]
        let server: RunServer
        if resume {
            let saved = try Self.readConfiguration(from: runURL)
            guard saved == configuration else {
                throw CheckpointError.settingsChanged(Self.differences(saved, configuration))
            }
            server = try RunServer.open(runURL)
        } else {
            server = try RunServer.start(configuration: configuration, shards: shards, runURL: runURL, simulated: true)
        }
        let node = ClientNode(stateStore: ClientStateStore(folder: runURL.appendingPathComponent("client-state")))
        while true {
            let (plan, messages) = try server.plan()
            if plan.kind == .done { break }
            var replies = [StepReply]()
            for message in messages {
                replies.append(try node.step(message, data: clients[message.header.client], progress: progress))
            }
            let collected = try server.collect(replies)
            if let record = collected.record {
                roundFinished(record)
                if let stoppingAfterRound, record.round >= stoppingAfterRound, !collected.finished,
                   record.round < configuration.training.rounds { return nil }
            }
        }
        return try server.report()
    }

    /// SHA-256 of a file (for `RunConfiguration.pretrainedSHA256`).
    public static func sha256(ofFileAt path: String) throws -> String {
        try Checksums.sha256(fileAt: URL(fileURLWithPath: path))
    }

    public enum EvaluationSplit: String, Sendable, CaseIterable { case test, validation }

    /// The metrics of the best round's model on `split` (SphereFed: recalibrated from the shards, deterministic).
    public func evaluate(split: EvaluationSplit) throws -> MultiLabelMetrics {
        var best = try ModelFactory.make(configuration, classCount: shards.classCount, loadingPretrained: false)
        best.state = try Checkpoint.readBestModel(from: runURL, layout: best.state)
        let method = try configuration.methodType()
        var head: CalibratedLinearHead?
        if method.needsFeatureStatistics {
            let batchSize = configuration.training.evaluationBatchSize
            let statistics = try shards.loadClients().map {
                FeatureStatistics(model: best, data: $0, batchSize: batchSize)
            }
            head = try method.init(configuration: configuration, clientCount: statistics.count)
                .calibrate(statistics: statistics, dimension: best.featureDimension, classCount: shards.classCount)
        }
        let data = split == .test ? try shards.loadTest() : try shards.loadValidation()
        return Evaluation.metrics(model: best, data: data, batchSize: configuration.training.evaluationBatchSize,
                                  calibratedHead: head)
    }

    // MARK: - Files

    /// The configuration a run folder was started with (`run.json`).
    public static func readConfiguration(from run: URL) throws(CheckpointError) -> RunConfiguration {
        try RunJSON.read(RunConfiguration.self, from: run.appendingPathComponent("run.json"))
    }

    /// Every differing setting with both values (dotted run.json keys), for the `--resume` error.
    static func differences(_ saved: RunConfiguration, _ current: RunConfiguration) -> String {
        let encoder = RunJSON.encoder
        guard let old = try? JSONSerialization.jsonObject(with: encoder.encode(saved)),
              let new = try? JSONSerialization.jsonObject(with: encoder.encode(current))
        else { return "run.json differs" }
        func flatten(_ value: Any, _ prefix: String, into result: inout [String: String]) {
            if let object = value as? [String: Any] {
                for (key, child) in object { flatten(child, prefix.isEmpty ? key : prefix + "." + key, into: &result) }
            } else if let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]) {
                result[prefix] = String(decoding: data, as: UTF8.self)
            }
        }
        var before = [String: String](), after = [String: String]()
        flatten(old, "", into: &before)
        flatten(new, "", into: &after)
        let keys = Set(before.keys).union(after.keys).sorted().filter { before[$0] != after[$0] }
        return keys.map { "\($0): run.json has \(before[$0] ?? "nothing"), this command \(after[$0] ?? "nothing")" }
            .joined(separator: "; ")
    }
}
