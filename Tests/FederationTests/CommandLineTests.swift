import Federation
import Foundation
import ProcessTestSupport
import Testing

/// The built `fednc-train`, from `FEDNC_BIN_DIR` (set by tools/test).
enum TrainerExecutable {
    static var url: URL? {
        guard let folder = ProcessInfo.processInfo.environment["FEDNC_BIN_DIR"] else { return nil }
        let url = URL(fileURLWithPath: folder).appendingPathComponent("fednc-train")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }
}

@Suite("fednc-train command line", .enabled(if: TrainerExecutable.url != nil))
struct CommandLineTests {
    func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        struct NotBuilt: Error {}
        guard let executable = TrainerExecutable.url else { throw NotBuilt() }
        return try ChildProcess.run(executable, arguments)
    }

    @Test("train writes the report, evaluate reproduces its test row, errors name the fix")
    func trainAndEvaluate() throws {
        let shards = try ShardFixture.synthetic()
        let runURL = ShardFixture.temporaryRunFolder()
        defer {
            try? FileManager.default.removeItem(at: shards)
            try? FileManager.default.removeItem(at: runURL)
        }
        let trained = try run(["--shards", shards.path, "--method", "fedprox", "--model", "linear", "--out", runURL.path,
                               "--rounds", "2", "--batch-size", "8", "--lr", "0.05", "--seed", "3"])
        #expect(trained.status == 0, "\(trained.error)")
        #expect(trained.output.contains("| FedProx | test |"))
        #expect(trained.error.contains("round 2/2: train loss"))
        let report = try JSONDecoder().decode(RunReport.self,
                                              from: Data(contentsOf: runURL.appendingPathComponent("report.json")))
        let evaluated = try run(["evaluate", "--run", runURL.path])
        #expect(evaluated.status == 0, "\(evaluated.error)")
        let row = "| test | " + [report.test.macroAUC, report.test.macroF1, report.test.microAUC, report.test.microF1]
            .map { $0.map { String(format: "%.2f", $0) } ?? "n/a" }.joined(separator: " | ") + " |"
        #expect(evaluated.output.contains(row), "\(evaluated.output) lacks \(row)")

        let again = try run(["--shards", shards.path, "--method", "fedprox", "--model", "linear", "--out", runURL.path])
        #expect(again.status != 0 && again.error.contains("--resume"))
        let missing = try run(["--shards", "/nonexistent-shards", "--method", "fedavg", "--out", runURL.path])
        #expect(missing.status != 0 && missing.error.contains("partition.json"))
        let badFraction = try run(["--shards", shards.path, "--method", "fedavg", "--out", runURL.path,
                                   "--participation", "1.5"])
        #expect(badFraction.status != 0)
    }
}
