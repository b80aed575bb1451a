import Federation
import Foundation
import ProcessTestSupport
import Testing

/// The built tools of the whole pipeline, from `FEDNC_BIN_DIR`.
enum PipelineExecutables {
    static let names = ["fednc-samples", "fednc-cifar10", "fednc-shards", "fednc-train"]

    static func url(_ name: String) -> URL? {
        guard let folder = ProcessInfo.processInfo.environment["FEDNC_BIN_DIR"] else { return nil }
        let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    static var available: Bool { names.allSatisfy { url($0) != nil } }
}

@Suite("Pipeline: sample composites to a report", .enabled(if: PipelineExecutables.available))
struct TrainerPipelineTests {
    struct ToolFailed: Error, CustomStringConvertible { var description: String }

    func run(_ tool: String, _ arguments: [String]) throws {
        guard let executable = PipelineExecutables.url(tool) else { throw ToolFailed(description: "\(tool) not built") }
        let outcome = try ChildProcess.run(executable, arguments)
        guard outcome.status == 0 else { throw ToolFailed(description: "\(tool) failed: \(outcome.error)") }
    }

    /// fednc-samples (CIFAR-10, `perClass` images per class and batch) -> fednc-cifar10 composites ->
    /// fednc-shards (10 clients, alpha 0.5, rho 0.5) inside `work`; returns the shards folder.
    func makeShards(in work: URL, perClass: Int, compositeArguments: [String] = []) throws -> ShardFolder {
        try run("fednc-samples", ["cifar10", "--out", work.appendingPathComponent("raw").path,
                                  "--per-class", String(perClass)])
        try run("fednc-cifar10", ["--raw", work.appendingPathComponent("raw/cifar-10-batches-bin").path,
                                  "--out", work.appendingPathComponent("prepared").path, "--allow-short-batches",
                                  "--quiet"] + compositeArguments)
        try run("fednc-shards", ["partition", "--dataset", work.appendingPathComponent("prepared").path,
                                 "--out", work.appendingPathComponent("shards").path, "--clients", "10",
                                 "--alpha", "0.5", "--rho", "0.5", "--seed", "1", "--quiet"])
        return try ShardFolder(url: work.appendingPathComponent("shards"))
    }

    func report(in runFolder: URL) throws -> RunReport {
        try JSONDecoder().decode(RunReport.self, from: Data(contentsOf: runFolder.appendingPathComponent("report.json")))
    }

    @Test("fednc-samples CIFAR-10 composites -> prepared -> 10 shards -> centralized linear run learns (macro-AUC > 70)")
    func sampleCompositesTrain() throws {
        let work = ShardFixture.temporaryRunFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let shards = try makeShards(in: work, perClass: 20)
        #expect(shards.manifest.clients.count == 10)
        #expect(shards.manifest.dataset.name == "cifar10")
        let clients = try shards.loadClients()
        #expect(clients.map(\.count) == shards.manifest.clients.map(\.size))
        #expect(clients.allSatisfy { $0.classCount == 10 && $0.channels == 3 })
        let runFolder = work.appendingPathComponent("run")
        try run("fednc-train", ["--shards", shards.url.path, "--method", "centralized", "--model", "linear",
                                "--out", runFolder.path, "--rounds", "3", "--lr", "0.01"])
        let report = try report(in: runFolder)
        #expect(report.dataset == "cifar10" && report.roundsCompleted == 3)
        #expect((report.test.macroAUC ?? 0) > 70, "test macro-AUC \(report.test.macroAUC ?? .nan)")
    }

    /// The learning check: wrong gradients anywhere in ResNet-18 or the loss would keep this near 50.
    @Test("Centralized ResNet-18 (width 0.125, 64x64) learns the sample composites: validation macro-AUC > 90 in 2 epochs")
    func resNetLearnsSampleComposites() throws {
        let work = ShardFixture.temporaryRunFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let shards = try makeShards(in: work, perClass: 30, compositeArguments: [
            "--singles-per-class", "all", "--pairs-per-combination", "30,8,8"])
        let runFolder = work.appendingPathComponent("run")
        try run("fednc-train", ["--shards", shards.url.path, "--method", "centralized", "--out", runFolder.path,
                                "--rounds", "2", "--input-size", "64", "--width", "0.125", "--lr", "2e-3",
                                "--seed", "0"])
        let report = try report(in: runFolder)
        #expect((report.validation.macroAUC ?? 0) > 90, "validation macro-AUC \(report.validation.macroAUC ?? .nan)")
        #expect((report.test.macroAUC ?? 0) > 85, "test macro-AUC \(report.test.macroAUC ?? .nan)")
    }

    @Test("fednc-train --dataset finds a moved prepared dataset; without it the error names the flag")
    func movedDataset() throws {
        let work = ShardFixture.temporaryRunFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let shards = try makeShards(in: work, perClass: 5)
        let moved = work.appendingPathComponent("elsewhere/prepared-copy")
        try FileManager.default.createDirectory(at: moved.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: work.appendingPathComponent("prepared"), to: moved)
        let common = ["--shards", shards.url.path, "--method", "fedavg", "--model", "linear", "--rounds", "1"]
        let lost = work.appendingPathComponent("lost")
        guard let trainer = PipelineExecutables.url("fednc-train") else { throw ToolFailed(description: "not built") }
        let refused = try ChildProcess.run(trainer, common + ["--out", lost.path])
        #expect(refused.status != 0 && refused.error.contains("--dataset"), "\(refused.error)")
        #expect(!FileManager.default.fileExists(atPath: lost.path))
        let runFolder = work.appendingPathComponent("run")
        try run("fednc-train", common + ["--out", runFolder.path, "--dataset", moved.path])
        #expect(try report(in: runFolder).roundsCompleted == 1)
        let configuration = try FederatedRun.readConfiguration(from: runFolder)
        #expect(configuration.dataset == moved.standardizedFileURL.path)
        try run("fednc-train", ["evaluate", "--run", runFolder.path])
    }
}
