import Federation
import Foundation
import NeuralNet
import Testing

@Suite("Run folder")
struct RunFolderTests {
    func configuration(_ method: String, shards: ShardFolder, rounds: Int = 4) throws -> RunConfiguration {
        var training = TrainingSettings()
        training.rounds = rounds
        training.batchSize = 8
        training.learningRate = 0.05
        training.seed = 7
        return RunConfiguration(
            shards: shards.url.path, shardManifestSHA256: shards.manifestSHA256, method: method, model: .linear,
            modelConfiguration: ModelConfiguration(classCount: shards.classCount,
                                                   head: try MethodRegistry.method(named: method).head),
            loss: LossConfiguration(), training: training)
    }

    @Test("A run stopped after round 2 of 4 and resumed ends exactly like an uninterrupted run",
          arguments: ["scaffold", "fedcurv", "spherefed"])
    func resumeGivesTheSameResult(method: String) throws {
        let shards = try ShardFolder(url: try ShardFixture.synthetic())
        defer { try? FileManager.default.removeItem(at: shards.url) }
        let straight = ShardFixture.temporaryRunFolder(), interrupted = ShardFixture.temporaryRunFolder()
        defer {
            try? FileManager.default.removeItem(at: straight)
            try? FileManager.default.removeItem(at: interrupted)
        }
        let config = try configuration(method, shards: shards)
        let expected = try #require(try FederatedRun(configuration: config, shards: shards, runURL: straight)
            .train(resume: false))
        let stopped = try FederatedRun(configuration: config, shards: shards, runURL: interrupted)
            .train(resume: false, stoppingAfterRound: 2)
        #expect(stopped == nil)
        let lines = try String(contentsOf: interrupted.appendingPathComponent("rounds.jsonl"), encoding: .utf8)
        #expect(lines.split(separator: "\n").count == 2)
        let resumed = try #require(try FederatedRun(configuration: config, shards: shards, runURL: interrupted)
            .train(resume: true))
        #expect(resumed == expected)
        #expect(resumed.roundsCompleted == 4)
        let straightModel = try Data(contentsOf: straight.appendingPathComponent("checkpoint/model.safetensors"))
        let resumedModel = try Data(contentsOf: interrupted.appendingPathComponent("checkpoint/model.safetensors"))
        #expect(straightModel == resumedModel)
    }

    @Test("Run folder holds run.json, rounds.jsonl, checkpoint, report and plots")
    func runFolderContents() throws {
        let shards = try ShardFolder(url: try ShardFixture.synthetic())
        defer { try? FileManager.default.removeItem(at: shards.url) }
        let runURL = ShardFixture.temporaryRunFolder()
        defer { try? FileManager.default.removeItem(at: runURL) }
        let config = try configuration("fedavg", shards: shards, rounds: 3)
        let report = try #require(try FederatedRun(configuration: config, shards: shards, runURL: runURL)
            .train(resume: false))
        for file in ["run.json", "run-id", "rounds.jsonl", "report.json", "report.md", "validation.svg", "validation.png",
                     "checkpoint/model.safetensors", "checkpoint/best-model.safetensors",
                     "checkpoint/algorithm-state.safetensors", "checkpoint/state.json"] {
            #expect(FileManager.default.fileExists(atPath: runURL.appendingPathComponent(file).path), "\(file)")
        }
        #expect(try FederatedRun.readConfiguration(from: runURL) == config)
        // A run.json from before `threads` existed still reads (evaluate works on old runs).
        var old = try JSONSerialization.jsonObject(with: Data(contentsOf: runURL.appendingPathComponent("run.json")))
            as? [String: Any] ?? [:]
        old["threads"] = nil
        let oldFolder = ShardFixture.temporaryRunFolder()
        defer { try? FileManager.default.removeItem(at: oldFolder) }
        try FileManager.default.createDirectory(at: oldFolder, withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: old).write(to: oldFolder.appendingPathComponent("run.json"))
        #expect(try FederatedRun.readConfiguration(from: oldFolder).method == "fedavg")
        let png = try Data(contentsOf: runURL.appendingPathComponent("validation.png"))
        #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        // The best round is the one with the highest validation macro-AUC in rounds.jsonl.
        let aucs = try String(contentsOf: runURL.appendingPathComponent("rounds.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { line in
                try JSONDecoder().decode(RoundRecord.self, from: Data(line.utf8)).validation.macroAUC ?? 0
            }
        #expect(aucs.count == 3)
        #expect(report.bestRound == (aucs.indices.max { aucs[$0] < aucs[$1] } ?? -1) + 1)
        #expect(report.validation.macroAUC == aucs[report.bestRound - 1])
        // evaluate reproduces the report's test metrics from the checkpoint.
        let evaluated = try FederatedRun(configuration: config, shards: shards, runURL: runURL).evaluate(split: .test)
        #expect(evaluated == report.test)
        #expect(report.markdown.contains("| FedAvg | test |"))
        // A second start in the same folder is refused; --resume with other flags is refused.
        #expect(throws: TrainingError.self) {
            try FederatedRun(configuration: config, shards: shards, runURL: runURL).train(resume: false)
        }
        var changed = config
        changed.training.seed = 8
        #expect(throws: CheckpointError.self) {
            try FederatedRun(configuration: changed, shards: shards, runURL: runURL).train(resume: true)
        }
    }

    @Test("A shard whose bytes changed is rejected by its SHA-256")
    func checksumMismatch() throws {
        let folder = try ShardFixture.synthetic()
        defer { try? FileManager.default.removeItem(at: folder) }
        let shard = folder.appendingPathComponent("client-001.safetensors")
        var bytes = try Data(contentsOf: shard)
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: shard)
        let shards = try ShardFolder(url: folder)
        #expect(throws: ShardFolderError.self) { try shards.loadClients() }
        #expect(throws: ShardFolderError.self) {
            try ShardFolder(url: folder.appendingPathComponent("missing"))
        }
    }

    @Test("run.json keeps the protocol settings and label embeddings it was written with (resume compares them)")
    func runJSONRoundTrip() throws {
        let folder = try ShardFixture.synthetic()
        defer { try? FileManager.default.removeItem(at: folder) }
        var written = try configuration("fedavg", shards: try ShardFolder(url: folder))
        written.protocolSettings = .paper
        written.labelEmbeddings = "/data/clip-text.safetensors"
        written.labelEmbeddingsSHA256 = String(repeating: "ab", count: 32)
        let read = try JSONDecoder().decode(RunConfiguration.self, from: JSONEncoder().encode(written))
        #expect(read == written)
    }
}
