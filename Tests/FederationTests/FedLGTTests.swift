import Federation
import Foundation
import NeuralNet
import ProcessTestSupport
import Safetensors
import Testing

/// `--method fedlgt`: C-Tran with label-mask training, the label-embeddings file recorded in run.json, the
/// refusal without it.
@Suite("FedLGT")
struct FedLGTTests {
    /// A small generated `[K+2, 512]` table (no CLIP here), with the fixture's class names.
    static func embeddingsFile(classCount: Int, classNames: [String]? = nil) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fedlgt-embeddings-\(UUID().uuidString).safetensors")
        let values = (0..<((classCount + 2) * 512)).map { index in Float(sin(Double(index) * 0.37)) / 16 }
        var metadata = [String: String]()
        if let classNames {
            metadata["classNames"] = String(decoding: try JSONEncoder().encode(classNames), as: UTF8.self)
        }
        try Safetensors.write(tensors: ["embeddings": TensorData(values, shape: [classCount + 2, 512])],
                              metadata: metadata, to: url)
        return url
    }

    @Test("fedlgt trains federated rounds; embeddings stay frozen; run.json records the file and its SHA-256")
    func trains() throws {
        let classNames = (0..<SyntheticImages.classCount).map { "class\($0)" }
        let embeddings = try Self.embeddingsFile(classCount: SyntheticImages.classCount, classNames: classNames)
        let folder = try ShardFixture.write(clients: SyntheticImages.clients(2, size: 16, seed: 1),
                                            validation: SyntheticImages.make(count: 20, seed: 2, stream: "validation"),
                                            test: SyntheticImages.make(count: 12, seed: 3, stream: "test"))
        let runURL = ShardFixture.temporaryRunFolder()
        defer {
            for url in [embeddings, folder, runURL] { try? FileManager.default.removeItem(at: url) }
        }
        let shards = try ShardFolder(url: folder)
        var training = TrainingSettings()
        training.rounds = 2
        training.batchSize = 8
        training.learningRate = 1e-3
        training.seed = 5
        var configuration = RunConfiguration(
            shards: folder.path, shardManifestSHA256: shards.manifestSHA256, method: "fedlgt", model: .resnet18,
            modelConfiguration: ModelConfiguration(classCount: SyntheticImages.classCount, head: FedLGT.head,
                                                   stem: .cifar, widthMultiplier: 0.0625, inputSize: 16),
            loss: LossConfiguration(), training: training)
        configuration.labelEmbeddings = embeddings.path
        configuration.labelEmbeddingsSHA256 = try FederatedRun.sha256(ofFileAt: embeddings.path)
        try FederatedRun(configuration: configuration, shards: shards, runURL: runURL).train(resume: false)
        let layout = try ModelFactory.make(configuration, classCount: SyntheticImages.classCount,
                                           loadingPretrained: false).state
        let snapshot = try Checkpoint.read(from: runURL, layout: layout).snapshot
        let table = try SafetensorsFile(contentsOf: embeddings).array(of: Float.self, "embeddings")
        #expect(snapshot.globalState.values(of: "head.label_embedding") == Array(table[0..<(3 * 512)]))
        #expect(snapshot.globalState.values(of: "head.state_embedding")
            == [Float](repeating: 0, count: 512) + Array(table[(3 * 512)...]))
        #expect(snapshot.history.count == 2)
        #expect(snapshot.history.allSatisfy { $0.clients.allSatisfy { $0.meanLoss.isFinite && $0.meanLoss > 0 } })
        let runJSON = try String(contentsOf: runURL.appendingPathComponent("run.json"), encoding: .utf8)
        #expect(runJSON.contains(try FederatedRun.sha256(ofFileAt: embeddings.path)))
        #expect(runJSON.contains("\"method\" : \"fedlgt\""))
    }

    @Test("Without the embeddings file the server refuses, saying how to make it")
    func refusesWithoutFile() throws {
        let folder = try ShardFixture.synthetic(clientCount: 2)
        defer { try? FileManager.default.removeItem(at: folder) }
        let shards = try ShardFolder(url: folder)
        let configuration = RunConfiguration(
            shards: folder.path, shardManifestSHA256: shards.manifestSHA256, method: "fedlgt", model: .resnet18,
            modelConfiguration: ModelConfiguration(classCount: SyntheticImages.classCount, head: FedLGT.head,
                                                   stem: .cifar, widthMultiplier: 0.0625, inputSize: 16),
            loss: LossConfiguration(), training: TrainingSettings())
        #expect(throws: LabelEmbeddingsError.notGiven) {
            _ = try ModelFactory.make(configuration, classCount: SyntheticImages.classCount, loadingPretrained: true)
        }
        #expect(LabelEmbeddingsError.notGiven.description.contains("tools/make-label-embeddings"))
    }

    @Test("fednc-train --method fedlgt without --label-embeddings exits 1 with how to make the file; no run folder",
          .enabled(if: TrainerExecutable.url != nil))
    func commandLineRefusal() throws {
        let folder = try ShardFixture.synthetic(clientCount: 2)
        let runURL = ShardFixture.temporaryRunFolder()
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: runURL)
        }
        let executable = try #require(TrainerExecutable.url)
        let outcome = try ChildProcess.run(executable, ["--shards", folder.path, "--method", "fedlgt",
                                                        "--out", runURL.path])
        #expect(outcome.status != 0)
        #expect(outcome.error.contains("--label-embeddings FILE") && outcome.error.contains("tools/make-label-embeddings"),
                "\(outcome.error)")
        #expect(!FileManager.default.fileExists(atPath: runURL.path))
    }
}
