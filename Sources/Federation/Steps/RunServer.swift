import Foundation
import NeuralNet
import TensorEngine

/// The server half of every step on a run folder (trainer.md, "The step loop"): `start` writes run.json, the run
/// ID and the round-0 checkpoint; `plan` says what the next step is and builds one message per participant;
/// `collect` checks the replies, aggregates in client-index order, validates, checkpoints and, after the last step,
/// finishes the run (best round, test split, SphereFed calibration, report). Every call reads its state from the
/// run folder, so the server can stop between any two calls; `fednc-train train` is the loop
/// plan -> `ClientNode.step` per participant -> collect, in one process.
public struct RunServer {
    /// The step the run is at.
    public struct Plan: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable { case train, statistics, done }
        /// 1-based round; the statistics step is round `rounds + 1`; `done` repeats the last round.
        public var round: Int
        public var kind: Kind
        /// Clients to send a message to, ascending.
        public var participants: [Int]
    }

    /// What `collect` did.
    public struct Collected: Sendable {
        public var round: Int
        /// True once report.json is written.
        public var finished: Bool
        /// The training round's record (nil for the statistics step).
        public var record: RoundRecord?
    }

    static let runIDFileName = "run-id"

    public let runURL: URL
    public let configuration: RunConfiguration
    public let shards: ShardFolder
    /// Random ID of the run, in `RUN/run-id`, carried by every message and reply.
    public let runID: String
    /// `N`: the shards' clients, or 1 for centralized training.
    public let clientCount: Int
    private let method: any FederatedMethod.Type
    private let model: any FederatedModel
    private let validation: LabeledImages

    private init(runURL: URL, configuration: RunConfiguration, shards: ShardFolder, runID: String,
                 loadingPretrained: Bool) throws {
        guard EngineThreads.workerCount == configuration.threads else {
            throw TrainingError.invalidSetting(
                "the run uses \(configuration.threads) engine threads but this process has "
                + "\(EngineThreads.workerCount); set FEDNC_THREADS=\(configuration.threads) (or --threads)")
        }
        guard shards.manifestSHA256 == configuration.shardManifestSHA256 else {
            throw TrainingError.dataMismatch("\(shards.url.path)/partition.json changed since the run started "
                                             + "(SHA-256 differs from run.json); use the original shards")
        }
        self.runURL = runURL
        self.configuration = configuration
        self.shards = shards
        self.runID = runID
        method = try configuration.methodType()
        clientCount = method.isFederated ? shards.manifest.clients.count : 1
        model = try ModelFactory.make(configuration, classCount: shards.classCount,
                                      classNames: shards.manifest.dataset.classNames,
                                      loadingPretrained: loadingPretrained)
        validation = try shards.loadValidation()
        guard validation.classCount == configuration.modelConfiguration.classCount else {
            throw TrainingError.dataMismatch("the shards have \(validation.classCount) classes, run.json "
                                             + "\(configuration.modelConfiguration.classCount)")
        }
    }

    /// Opens the run in `runURL` (run.json, run-id, the shards run.json names).
    public static func open(_ runURL: URL) throws -> RunServer {
        let configuration = try FederatedRun.readConfiguration(from: runURL)
        let idURL = runURL.appendingPathComponent(runIDFileName)
        guard let id = try? String(contentsOf: idURL, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), !id.isEmpty else {
            throw CheckpointError.missing(file: idURL.path)
        }
        return try RunServer(runURL: runURL, configuration: configuration,
                             shards: try configuration.shardFolder(), runID: id,
                             loadingPretrained: false)
    }

    /// Starts a run in `runURL`: checks every input (shards, validation and test splits, pretrained weights,
    /// method), then writes run.json, run-id and the round-0 checkpoint into a sibling folder renamed to `runURL`,
    /// so a failed start leaves no run folder. `runURL` must not exist or be an empty folder. Centralized training
    /// is refused unless `simulated` (it pools every shard on one machine).
    public static func start(configuration: RunConfiguration, shards: ShardFolder, runURL: URL,
                             simulated: Bool = false) throws -> RunServer {
        let method = try configuration.methodType()
        guard method.isFederated || simulated else {
            throw StepError("--method \(method.name) trains one pooled client on one machine, so it has no client "
                            + "steps; run it with `fednc-train train`")
        }
        let manager = FileManager.default
        if manager.fileExists(atPath: runURL.appendingPathComponent("run.json").path) {
            throw TrainingError.invalidSetting("\(runURL.path) already holds a run; pass --resume to continue it "
                                               + "or choose another --out")
        }
        if let contents = try? manager.contentsOfDirectory(atPath: runURL.path), !contents.isEmpty {
            throw TrainingError.invalidSetting("\(runURL.path) exists and is not empty; choose another --out")
        }
        _ = try shards.loadTest()
        let runID = UUID().uuidString.lowercased()
        let server = try RunServer(runURL: runURL, configuration: configuration, shards: shards, runID: runID,
                                   loadingPretrained: true)
        let parent = runURL.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(runURL.lastPathComponent).starting-\(runID)")
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            try RunJSON.prettyEncoder.encode(configuration).write(to: staging.appendingPathComponent("run.json"))
            try Data((runID + "\n").utf8).write(to: staging.appendingPathComponent(runIDFileName))
            let initial = method.init(configuration: configuration, clientCount: server.clientCount)
            try Checkpoint.write(RunSnapshot(globalState: server.model.state),
                                 algorithmState: initial.checkpointState(), to: staging)
            guard rename(staging.path, runURL.path) == 0 else {
                throw TrainingError.invalidSetting("cannot create \(runURL.path): "
                                                   + String(cString: strerror(errno)) + "; choose another --out")
            }
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
        return server
    }

    // MARK: - Plan

    /// The next step, and one message per participant. A run whose rounds are done is finished here if a
    /// killed `collect` left it unfinished.
    public func plan(now: Date = Date()) throws -> (plan: Plan, messages: [StepMessage]) {
        let (snapshot, method) = try readState()
        let plan = nextStep(snapshot)
        switch plan.kind {
        case .done:
            if !isFinished { try finish(snapshot, head: nil) }
            return (plan, [])
        case .train, .statistics:
            let messageModel = plan.kind == .train ? snapshot.globalState : snapshot.bestState
            let messages = plan.participants.map { client in
                let sets = plan.kind == .train ? method.messageSets(for: client) : [:]
                let header = StepMessage.Header(
                    format: StepMessage.format, runID: runID, round: plan.round, kind: plan.kind == .train ? .train : .statistics,
                    client: client, clientCount: clientCount, partitionSHA256: configuration.shardManifestSHA256,
                    shardSHA256: expectedShardSHA256(client), codeVersion: FederatedRun.codeVersion,
                    threads: configuration.threads, plannedAt: now.timeIntervalSince1970, sets: sets.keys.sorted(),
                    configuration: configuration)
                return StepMessage(header: header, model: messageModel, sets: sets)
            }
            return (plan, messages)
        }
    }

    /// The next step, without messages or side effects (what `collect` expects).
    public func plannedStep() throws -> Plan {
        nextStep(try readState().0)
    }

    /// True once report.json exists.
    public var isFinished: Bool {
        FileManager.default.fileExists(atPath: runURL.appendingPathComponent("report.json").path)
    }

    /// The model's layout (every message and reply has it).
    public var layout: ParameterSet { model.state }
    /// `d` of the statistics step.
    public var featureDimension: Int { model.featureDimension }

    /// The SHA-256 partition.json records for `client`'s shard (empty for centralized training's pooled client).
    public func expectedShardSHA256(_ client: Int) -> String {
        method.isFederated ? shards.manifest.clients[client].sha256.lowercased() : ""
    }

    private func nextStep(_ snapshot: RunSnapshot) -> Plan {
        let rounds = configuration.training.rounds
        if snapshot.completedRounds < rounds {
            let round = snapshot.completedRounds + 1
            let training = configuration.training
            return Plan(round: round, kind: .train,
                        participants: ClientSelection.participants(round: round, clientCount: clientCount,
                                                                   fraction: training.participation,
                                                                   seed: training.seed))
        }
        if method.needsFeatureStatistics, !isFinished {
            return Plan(round: rounds + 1, kind: .statistics, participants: Array(0..<clientCount))
        }
        return Plan(round: rounds, kind: .done, participants: [])
    }

    private func readState() throws -> (RunSnapshot, any FederatedMethod) {
        let saved = try Checkpoint.read(from: runURL, layout: model.state)
        var method = self.method.init(configuration: configuration, clientCount: clientCount)
        try method.restoreState(saved.algorithmState)
        return (saved.snapshot, method)
    }

    // MARK: - Collect

    /// Checks `replies` against the planned step (exactly one per participant, this run, this round, this build,
    /// the partition's shards), aggregates them in client-index order, validates and checkpoints; after the last
    /// step writes the report. Nothing is written when a check fails.
    public func collect(_ replies: [StepReply], now: Date = Date()) throws -> Collected {
        let (snapshot, method) = try readState()
        let plan = nextStep(snapshot)
        guard plan.kind != .done else {
            throw StepError("\(runURL.path): every round is done; nothing to collect (run `server plan` to finish)")
        }
        let ordered = try checked(replies, plan: plan)
        if plan.kind == .statistics {
            let head = try method.calibrate(statistics: ordered.compactMap(\.statistics),
                                            dimension: model.featureDimension, classCount: shards.classCount)
            try finish(snapshot, head: head)
            return Collected(round: plan.round, finished: true, record: nil)
        }
        var aggregator = method
        let clientReplies = ordered.map(\.clientReply)
        let weights = clientReplies.map { configuration.training.equalWeights ? 1 : Double($0.sampleCount) }
        let next = aggregator.aggregate(global: snapshot.globalState, replies: clientReplies, weights: weights)
            .applyingAggregationTies()
        guard next.values.allSatisfy(\.isFinite) else {
            throw TrainingError.invalidSetting("round \(plan.round) produced non-finite parameters; lower --lr")
        }
        var model = self.model
        model.state = next
        let started = ordered.map(\.header.plannedAt).min() ?? now.timeIntervalSince1970
        let record = RoundRecord(
            round: plan.round,
            clients: clientReplies.map {
                RoundRecord.ClientRecord(client: $0.client, sampleCount: $0.sampleCount, localSteps: $0.localSteps,
                                         meanLoss: $0.meanLoss)
            },
            validation: Evaluation.metrics(model: model, data: validation,
                                           batchSize: configuration.training.evaluationBatchSize),
            seconds: max(0, now.timeIntervalSince1970 - started))
        var updated = snapshot
        updated.record(record, state: next)
        try Checkpoint.write(updated, algorithmState: aggregator.checkpointState(), to: runURL)
        try writeRounds(updated.history)
        let finished = updated.completedRounds == configuration.training.rounds && !self.method.needsFeatureStatistics
        if finished { try finish(updated, head: nil) }
        return Collected(round: plan.round, finished: finished, record: record)
    }

    /// The replies in participant order, after every check.
    private func checked(_ replies: [StepReply], plan: Plan) throws(StepError) -> [StepReply] {
        var byClient = [Int: StepReply]()
        for reply in replies {
            let header = reply.header
            let who = "the reply of client \(header.client)"
            guard header.runID == runID else {
                throw StepError("\(who) belongs to run \(header.runID), not \(runID) (\(runURL.path)): a foreign "
                                + "reply; give collect only this run's replies")
            }
            guard header.codeVersion == FederatedRun.codeVersion else {
                throw StepError("\(who) was made by \(header.codeVersion), the server is \(FederatedRun.codeVersion); "
                                + "install the same FedNC build on every node")
            }
            guard header.round == plan.round, header.kind.rawValue == plan.kind.rawValue else {
                throw StepError("\(who) is for round \(header.round) (\(header.kind.rawValue)), the run expects round "
                                + "\(plan.round) (\(plan.kind.rawValue)); rerun the client with the current message")
            }
            guard plan.participants.contains(header.client) else {
                throw StepError("\(who): client \(header.client) is not a participant of round \(plan.round) "
                                + "(\(plan.participants)); remove that reply")
            }
            guard byClient[header.client] == nil else {
                throw StepError("two replies from client \(header.client) for round \(plan.round); keep one")
            }
            guard header.partitionSHA256 == configuration.shardManifestSHA256,
                  header.shardSHA256 == expectedShardSHA256(header.client) else {
                throw StepError("\(who) was computed on another partition or shard; run the client on the run's "
                                + "shards (partition.json SHA-256 \(configuration.shardManifestSHA256))")
            }
            if method.isFederated, header.sampleCount != shards.manifest.clients[header.client].size {
                throw StepError("\(who) reports \(header.sampleCount) samples, partition.json \(shards.manifest.clients[header.client].size)")
            }
            guard (plan.kind == .train) == (reply.model != nil), (plan.kind == .statistics) == (reply.statistics != nil)
            else { throw StepError("\(who) lacks its \(plan.kind.rawValue) content; rerun the client step") }
            byClient[header.client] = reply
        }
        let missing = plan.participants.filter { byClient[$0] == nil }
        guard missing.isEmpty else {
            throw StepError("no reply from client(s) \(missing.map(String.init).joined(separator: ", ")) for round "
                            + "\(plan.round): a round needs every planned client; rerun their client steps, then "
                            + "collect again (nothing was aggregated)")
        }
        return plan.participants.compactMap { byClient[$0] }
    }

    // MARK: - Files

    private func writeRounds(_ history: [RoundRecord]) throws {
        var lines = Data()
        for record in history {
            lines.append(try RunJSON.encoder.encode(record))
            lines.append(0x0A)
        }
        try lines.write(to: runURL.appendingPathComponent("rounds.jsonl"), options: .atomic)
        let plot = ValidationPlot(history: history, title: "\(method.displayName) on " + shards.manifest.dataset.name)
        try Data(plot.svg.utf8).write(to: runURL.appendingPathComponent("validation.svg"), options: .atomic)
        try Data(plot.png()).write(to: runURL.appendingPathComponent("validation.png"), options: .atomic)
    }

    /// The best round's model on validation and test (calibrated by `head` when given): report.json, report.md.
    private func finish(_ snapshot: RunSnapshot, head: CalibratedLinearHead?) throws {
        var best = model
        best.state = snapshot.bestState
        let batchSize = configuration.training.evaluationBatchSize
        let report = RunReport(
            method: configuration.method, dataset: shards.manifest.dataset.name,
            classNames: shards.manifest.dataset.classNames, roundsCompleted: snapshot.completedRounds,
            bestRound: snapshot.bestRound,
            validation: Evaluation.metrics(model: best, data: validation, batchSize: batchSize, calibratedHead: head),
            test: Evaluation.metrics(model: best, data: try shards.loadTest(), batchSize: batchSize,
                                     calibratedHead: head),
            calibratedClassifier: head != nil, aucConvention: configuration.effectiveProtocol.aucConvention)
        try Data(report.markdown.utf8).write(to: runURL.appendingPathComponent("report.md"), options: .atomic)
        try RunJSON.prettyEncoder.encode(report).write(to: runURL.appendingPathComponent("report.json"),
                                                       options: .atomic)
    }

    /// The finished run's report.
    public func report() throws -> RunReport {
        try RunJSON.read(RunReport.self, from: runURL.appendingPathComponent("report.json"))
    }
}
