import Checksums
import Foundation
import NeuralNet

/// A training run from a shards folder into a run folder (trainer.md, "Run folder"):
///
/// - `run.json`: the `RunConfiguration` (all flags, the shard manifest's SHA-256, the code version);
/// - `rounds.jsonl`: one `RoundRecord` per line;
/// - `checkpoint/`: written after every round (see `Checkpoint`), so `--resume` continues a killed run to the
///   same result;
/// - `report.json`, `report.md`: the best validation round's test metrics in the paper's layout;
/// - `validation.svg`, `validation.png`: validation metrics per round.
public struct FederatedRun {
    /// Recorded in `run.json`; changes whenever results of the same flags would change.
    public static let codeVersion = "fednc-train/1 (federation/1)"

    public let configuration: RunConfiguration
    public let shards: ShardFolder
    public let runURL: URL

    public init(configuration: RunConfiguration, shards: ShardFolder, runURL: URL) {
        self.configuration = configuration
        self.shards = shards
        self.runURL = runURL
    }

    /// Trains every remaining round and writes the report. With `resume`, continues the checkpoint in `runURL`
    /// (whose `run.json` must equal `configuration`; no checkpoint yet = from the start); otherwise `runURL` must
    /// not hold a run yet.
    /// `stoppingAfterRound` ends the session early after that round (as a kill would; for tests) and returns nil.
    @discardableResult
    public func train(resume: Bool, stoppingAfterRound: Int? = nil,
                      progress: (LocalTraining.Step) -> Void = { _ in },
                      roundFinished: (RoundRecord) -> Void = { _ in }) throws -> RunReport? {
        try prepareFolder(resume: resume)
        let model = try makeModel()
        return try train(model: model, resume: resume, stoppingAfterRound: stoppingAfterRound, progress: progress,
                         roundFinished: roundFinished)
    }

    /// SHA-256 of a file (for `RunConfiguration.pretrainedSHA256`).
    public static func sha256(ofFileAt path: String) throws -> String {
        try Checksums.sha256(fileAt: URL(fileURLWithPath: path))
    }

    /// The metrics of the best round's model on `split` (SphereFed: recalibrated from the shards, deterministic).
    public func evaluate(split: EvaluationSplit) throws -> MultiLabelMetrics {
        let model = try makeModel()
        return try evaluate(model: model, split: split)
    }

    public enum EvaluationSplit: String, Sendable, CaseIterable { case test, validation }

    // MARK: - Steps

    private func train<Model: FederatedModel>(model: Model, resume: Bool, stoppingAfterRound: Int?,
                                              progress: (LocalTraining.Step) -> Void,
                                              roundFinished: (RoundRecord) -> Void) throws -> RunReport? {
        let shardClients = try shards.loadClients()
        let clients = configuration.method == .centralized ? [Centralized.pooledClient(shardClients)] : shardClients
        let learningRate = configuration.training.learningRate
        var simulation = try FederatedSimulation(
            model: model, algorithm: makeAlgorithm(clientCount: clients.count), clients: clients,
            validation: try shards.loadValidation(), settings: configuration.training,
            optimizer: { AdamW(learningRate: learningRate) })
        // A run killed before its first checkpoint resumes from the start.
        if resume, Checkpoint.exists(in: runURL) {
            let saved = try Checkpoint.read(from: runURL, layout: model.state)
            try simulation.restore(saved.snapshot, algorithmState: saved.algorithmState)
        }
        while !simulation.isFinished {
            let record = simulation.runRound(progress: progress)
            try Checkpoint.write(simulation.snapshot, algorithmState: simulation.algorithm.checkpointState(), to: runURL)
            try writeRounds(simulation.snapshot.history)
            roundFinished(record)
            if let stoppingAfterRound, simulation.snapshot.completedRounds >= stoppingAfterRound,
               !simulation.isFinished { return nil }
        }
        var best = model
        best.state = simulation.snapshot.bestState
        let head = try calibratedHead(model: best, shardClients: shardClients)
        let batchSize = configuration.training.evaluationBatchSize
        let report = RunReport(
            method: configuration.method, dataset: shards.manifest.dataset.name,
            classNames: shards.manifest.dataset.classNames, roundsCompleted: simulation.snapshot.completedRounds,
            bestRound: simulation.snapshot.bestRound,
            validation: Evaluation.metrics(model: best, data: simulation.validation, batchSize: batchSize,
                                           calibratedHead: head),
            test: Evaluation.metrics(model: best, data: try shards.loadTest(), batchSize: batchSize,
                                     calibratedHead: head),
            calibratedClassifier: head != nil)
        try RunJSON.prettyEncoder.encode(report).write(to: runURL.appendingPathComponent("report.json"), options: .atomic)
        try Data(report.markdown.utf8).write(to: runURL.appendingPathComponent("report.md"), options: .atomic)
        return report
    }

    private func evaluate<Model: FederatedModel>(model: Model, split: EvaluationSplit) throws -> MultiLabelMetrics {
        var best = model
        best.state = try Checkpoint.readBestModel(from: runURL, layout: model.state)
        let head = try calibratedHead(model: best, shardClients: try shards.loadClients())
        let data = split == .test ? try shards.loadTest() : try shards.loadValidation()
        return Evaluation.metrics(model: best, data: data, batchSize: configuration.training.evaluationBatchSize,
                                  calibratedHead: head)
    }

    private func calibratedHead(model: some FederatedModel,
                                shardClients: [LabeledImages]) throws -> CalibratedLinearHead? {
        guard configuration.method == .spherefed else { return nil }
        return try SphereFed().calibratedHead(model: model, clients: shardClients,
                                              batchSize: configuration.training.evaluationBatchSize)
    }

    func makeAlgorithm(clientCount: Int) -> any FederatedAlgorithm {
        switch configuration.method {
        case .fedavg: FedAvg()
        case .fedprox: FedProx(mu: configuration.mu)
        case .fedcurv: FedCurv(lambda: configuration.fedCurvLambda)
        case .scaffold: Scaffold(clientCount: clientCount)
        case .spherefed: SphereFed()
        case .fedncalign: FedNCAlign()
        case .centralized: Centralized()
        }
    }

    func makeModel() throws -> any FederatedModel {
        switch configuration.model {
        case .linear:
            return PooledLinearModel(classCount: shards.classCount, seed: configuration.training.seed)
        case .resnet18:
            let classifier = MultiLabelClassifier(configuration: configuration.modelConfiguration,
                                                  seed: configuration.training.seed)
            if let pretrained = configuration.pretrained {
                try classifier.loadPretrained(from: URL(fileURLWithPath: pretrained))
            }
            return ResNetClassifierModel(classifier: classifier, loss: configuration.effectiveLoss)
        }
    }

    // MARK: - Files

    /// The configuration a run folder was started with (`run.json`).
    public static func readConfiguration(from run: URL) throws(CheckpointError) -> RunConfiguration {
        let runJSON = run.appendingPathComponent("run.json")
        guard let data = FileManager.default.contents(atPath: runJSON.path) else { throw .missing(file: runJSON.path) }
        do {
            return try RunJSON.decoder.decode(RunConfiguration.self, from: data)
        } catch {
            throw .unreadable(file: runJSON.path, reason: String(describing: error))
        }
    }

    private func prepareFolder(resume: Bool) throws {
        let manager = FileManager.default
        let runJSON = runURL.appendingPathComponent("run.json")
        if resume {
            let saved = try Self.readConfiguration(from: runURL)
            guard saved == configuration else {
                throw CheckpointError.settingsChanged(Self.differences(saved, configuration))
            }
            return
        }
        if manager.fileExists(atPath: runJSON.path) {
            throw TrainingError.invalidSetting("\(runURL.path) already holds a run; pass --resume to continue it "
                                               + "or choose another --out")
        }
        try manager.createDirectory(at: runURL, withIntermediateDirectories: true)
        try RunJSON.prettyEncoder.encode(configuration).write(to: runJSON, options: .atomic)
    }

    private func writeRounds(_ history: [RoundRecord]) throws {
        var lines = Data()
        for record in history {
            lines.append(try RunJSON.encoder.encode(record))
            lines.append(0x0A)
        }
        try lines.write(to: runURL.appendingPathComponent("rounds.jsonl"), options: .atomic)
        let plot = ValidationPlot(history: history, title: "\(RunReport.displayName(configuration.method)) on "
                                  + shards.manifest.dataset.name)
        try Data(plot.svg.utf8).write(to: runURL.appendingPathComponent("validation.svg"), options: .atomic)
        try Data(plot.png()).write(to: runURL.appendingPathComponent("validation.png"), options: .atomic)
    }

    /// The top-level keys whose values differ, for the `--resume` error.
    static func differences(_ saved: RunConfiguration, _ current: RunConfiguration) -> String {
        let encoder = RunJSON.encoder
        guard let old = try? JSONSerialization.jsonObject(with: encoder.encode(saved)) as? [String: Any],
              let new = try? JSONSerialization.jsonObject(with: encoder.encode(current)) as? [String: Any]
        else { return "run.json differs" }
        let keys = Set(old.keys).union(new.keys).sorted().filter {
            String(describing: old[$0] ?? "-") != String(describing: new[$0] ?? "-")
        }
        return "run.json differs in " + keys.joined(separator: ", ")
    }
}
