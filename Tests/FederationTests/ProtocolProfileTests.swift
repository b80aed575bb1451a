import Federation
import Foundation
import NeuralNet
import Testing

/// `--profile paper|authors-code` and its per-point options (issue 18): resolution, what reaches local training,
/// run.json, and report.md's two macro-AUC conventions.
@Suite("Protocol profiles")
struct ProtocolProfileTests {
    static func configuration(_ extra: [String]) throws -> RunConfiguration {
        let shards = try ShardFixture.synthetic(clientCount: 2)
        defer { try? FileManager.default.removeItem(at: shards) }
        let options = try RunOptions.parse(["--shards", shards.path, "--method", "fedncalign", "--out", "/tmp/unused"]
                                           + extra)
        return try options.configuration().0
    }

    @Test("paper and authors-code resolve every point; a per-point option wins; run.json records them")
    func resolution() throws {
        let paper = try Self.configuration([])
        #expect(paper.effectiveProtocol == .paper)
        #expect(paper.protocolSettings?.learningRateSchedule.kind == .constant)
        #expect(paper.protocolSettings?.weightDecayRule == .rankAtLeastTwo)
        #expect(paper.training.equalWeights == false)
        let authors = try Self.configuration(["--profile", "authors-code"])
        let settings = try #require(authors.protocolSettings)
        #expect(settings.profile == .authorsCode && settings.learningRateSchedule == LearningRateSchedule(kind: .warmupLinear))
        #expect(settings.weightDecayRule == .allButBiases && settings.aucConvention == .undefinedAsZero)
        #expect(settings.equalWeights && authors.training.equalWeights)
        let mixed = try Self.configuration(["--profile", "authors-code", "--lr-schedule", "constant",
                                            "--aggregation-weights", "samples", "--schedule-epochs", "20"])
        #expect(mixed.protocolSettings?.learningRateSchedule == LearningRateSchedule(kind: .constant, nominalEpochs: 20))
        #expect(mixed.training.equalWeights == false && mixed.protocolSettings?.weightDecayRule == .allButBiases)
        #expect(try Self.configuration(["--equal-weights"]).training.equalWeights)
        #expect(throws: (any Error).self) { try Self.configuration(["--equal-weights", "--aggregation-weights", "samples"]) }
        let json = String(decoding: try JSONEncoder().encode(authors), as: UTF8.self)
        for value in ["authors-code", "warmup-linear", "all-but-biases", "undefined-as-zero"] {
            #expect(json.contains(value), "run.json lacks \(value)")
        }
        #expect(ClientNode.optimizer(for: authors).weightDecayRule == .allButBiases)
        #expect(ClientNode.optimizer(for: paper).weightDecayRule == .rankAtLeastTwo)
        #expect(ClientNode.optimizer(for: paper).learningRate == paper.training.learningRate)
        var old = authors
        old.protocolSettings = nil
        #expect(old.effectiveProtocol == .paper, "a run.json without the key means the paper's protocol")
    }

    @Test("the mlp head's hidden size: 1024 for paper, 2 d for authors-code, --mlp-hidden wins; old run.json means 1024")
    func mlpHiddenSize() throws {
        #expect(try Self.configuration([]).modelConfiguration.mlpHiddenFeatures == 1024)
        let narrow = try Self.configuration(["--profile", "authors-code", "--width", "0.25"])
        #expect(narrow.modelConfiguration.featureDimension == 128)
        #expect(narrow.modelConfiguration.mlpHiddenFeatures == 256)
        #expect(try Self.configuration(["--profile", "authors-code", "--mlp-hidden", "64"])
            .modelConfiguration.mlpHiddenFeatures == 64)
        #expect(throws: (any Error).self) { try Self.configuration(["--mlp-hidden", "0"]) }
        // The head is built with that size: head.0 is Linear(d, H), head.3 Linear(H, K).
        var model = narrow.modelConfiguration
        model.head = .mlp
        let classifier = MultiLabelClassifier(configuration: model, seed: 0)
        let entries = Dictionary(uniqueKeysWithValues: classifier.state.entries.map { ($0.name, $0.shape) })
        #expect(entries["head.0.weight"] == [256, 128])
        #expect(entries["head.3.weight"] == [model.classCount, 256])
        // A run.json written before the key existed decodes with the size every such run had.
        var json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(model)) as! [String: Any]
        json["mlpHiddenFeatures"] = nil
        let decoded = try JSONDecoder().decode(ModelConfiguration.self,
                                               from: JSONSerialization.data(withJSONObject: json))
        #expect(decoded.mlpHiddenFeatures == 1024)
    }

    @Test("ETF training: paper fixed, authors-code authors-untied (trainable without fixed LADM queries); --etf-training wins")
    func etfTraining() throws {
        #expect(try Self.configuration([]).modelConfiguration.etfTraining == .fixed)
        let authors = try Self.configuration(["--profile", "authors-code"])
        #expect(authors.modelConfiguration.etfTraining == .authorsUntied)
        #expect(String(decoding: try JSONEncoder().encode(authors), as: UTF8.self).contains("authors-untied"))
        #expect(try Self.configuration(["--profile", "authors-code", "--etf-training", "authors-double-update"])
            .modelConfiguration.etfTraining == .authorsDoubleUpdate)
        #expect(try Self.configuration(["--profile", "authors-code", "--queries", "learnable"])
            .modelConfiguration.etfTraining == .trainable)
        #expect(try Self.configuration(["--profile", "authors-code", "--no-ladm"]).modelConfiguration.etfTraining
            == .trainable)
        #expect(try Self.configuration(["--profile", "authors-code", "--etf-training", "fixed"])
            .modelConfiguration.etfTraining == .fixed)
        #expect(try Self.configuration(["--etf-training", "trainable"]).modelConfiguration.etfTraining == .trainable)
        #expect(throws: (any Error).self) {
            try Self.configuration(["--etf-training", "authors-double-update", "--queries", "random"])
        }
        let shards = try ShardFixture.synthetic(clientCount: 2)
        defer { try? FileManager.default.removeItem(at: shards) }
        let fedavg = try RunOptions.parse(["--shards", shards.path, "--method", "fedavg", "--out", "/tmp/unused",
                                           "--profile", "authors-code"])
        #expect(try fedavg.configuration().0.modelConfiguration.etfTraining == .fixed)
        let explicit = try RunOptions.parse(["--shards", shards.path, "--method", "fedavg", "--out", "/tmp/unused",
                                             "--etf-training", "trainable"])
        #expect(throws: (any Error).self) { try explicit.configuration() }
    }

    /// Records the step size of every step.
    final class Recorder: @unchecked Sendable { var rates = [Float]() }
    struct RecordingOptimizer: ParameterOptimizer {
        var learningRate: Float = 0
        let recorder: Recorder
        mutating func step(_ parameters: inout ParameterSet, gradients: ParameterSet) { recorder.rates.append(learningRate) }
    }

    @Test("warmup-linear reaches every local step: rate = lr x multiplier, restarting each round")
    func scheduleReachesLocalTraining() {
        var settings = TrainingSettings()
        settings.batchSize = 4
        settings.learningRate = 0.5
        settings.localEpochs = 2
        let data = SyntheticImages.make(count: 20, seed: 1, stream: "schedule")
        let schedule = LearningRateSchedule(kind: .warmupLinear, nominalEpochs: 3)
        let training = LocalTraining(settings: settings, schedule: schedule)
        for round in 1...2 {
            var model = PooledLinearModel(classCount: data.classCount, seed: 1)
            let recorder = Recorder()
            _ = training.run(model: &model, data: data, round: round,
                             context: ClientContext(client: 0, global: model.state, learningRate: 0.5), method: FedAvg(),
                             optimizer: { RecordingOptimizer(recorder: recorder) })
            // 5 batches per epoch, 15 schedule steps, int(1.5) = 1 warm-up step.
            #expect(recorder.rates == (0..<10).map { 0.5 * schedule.multiplier(step: $0, batchesPerEpoch: 5) })
            #expect(recorder.rates.first == 0 && abs(recorder.rates[1] - 0.5) < 1e-6)
        }
    }

    @Test("report.md shows both macro-AUC conventions when a class is undefined, the run's in the table")
    func reportShowsBothConventions() {
        // Class 2 has only negatives: undefined AUC.
        let metrics = MultiLabelMetrics(scores: [0.9, 0.1, 0.2, 0.2, 0.8, 0.3, 0.7, 0.6, 0.1, 0.1, 0.4, 0.2],
                                        labels: [1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0], classCount: 3)
        #expect(metrics.macroAUC == 100)
        #expect(abs((metrics.macroAUCUndefinedAsZero ?? 0) - 200.0 / 3) < 1e-9)
        var report = RunReport(method: "fedncalign", dataset: "synthetic", classNames: ["a", "b", "c"],
                               roundsCompleted: 1, bestRound: 1, validation: metrics, test: metrics,
                               calibratedClassifier: false, aucConvention: .undefinedAsZero)
        #expect(report.markdown.contains("| FedNCAlign-ML | test | 66.67 |"))
        #expect(report.markdown.contains("skip-undefined test 100.00") && report.markdown.contains("undefined-as-zero test 66.67"))
        report.aucConvention = nil
        #expect(report.markdown.contains("| FedNCAlign-ML | test | 100.00 |"))
    }
}
