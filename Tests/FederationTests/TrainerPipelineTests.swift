import Federation
import Foundation
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
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ToolFailed(description: "\(tool) failed: \(message)") }
    }

    @Test("fednc-samples CIFAR-10 composites -> prepared -> 10 shards -> centralized linear run learns (macro-AUC > 70)")
    func sampleCompositesTrain() throws {
        let work = ShardFixture.temporaryRunFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        try run("fednc-samples", ["cifar10", "--out", work.appendingPathComponent("raw").path, "--per-class", "20"])
        try run("fednc-cifar10", ["--raw", work.appendingPathComponent("raw/cifar-10-batches-bin").path,
                                  "--out", work.appendingPathComponent("prepared").path, "--allow-short-batches",
                                  "--quiet"])
        try run("fednc-shards", ["partition", "--dataset", work.appendingPathComponent("prepared").path,
                                 "--out", work.appendingPathComponent("shards").path, "--clients", "10",
                                 "--alpha", "0.5", "--rho", "0.5", "--seed", "1", "--quiet"])
        let shards = try ShardFolder(url: work.appendingPathComponent("shards"))
        #expect(shards.manifest.clients.count == 10)
        #expect(shards.manifest.dataset.name == "cifar10")
        let clients = try shards.loadClients()
        #expect(clients.map(\.count) == shards.manifest.clients.map(\.size))
        #expect(clients.allSatisfy { $0.classCount == 10 && $0.channels == 3 })
        let runFolder = work.appendingPathComponent("run")
        try run("fednc-train", ["--shards", shards.url.path, "--method", "centralized", "--model", "linear",
                                "--out", runFolder.path, "--rounds", "3", "--lr", "0.01"])
        let report = try JSONDecoder().decode(RunReport.self,
                                              from: Data(contentsOf: runFolder.appendingPathComponent("report.json")))
        #expect(report.dataset == "cifar10" && report.roundsCompleted == 3)
        #expect((report.test.macroAUC ?? 0) > 70, "test macro-AUC \(report.test.macroAUC ?? .nan)")
    }
}
