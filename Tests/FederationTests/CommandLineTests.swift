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

    @Test("Rough edges: a failed start leaves no folder; --resume names each differing flag; evaluate, --lr, --seed")
    func roughEdges() throws {
        let shards = try ShardFixture.synthetic()
        let work = ShardFixture.temporaryRunFolder()
        defer {
            try? FileManager.default.removeItem(at: shards)
            try? FileManager.default.removeItem(at: work)
        }
        let common = ["--shards", shards.path, "--method", "fedavg", "--model", "linear", "--rounds", "1",
                      "--batch-size", "8", "--seed", "3"]
        // The test split is read before the run folder exists: a damaged one leaves nothing behind.
        let test = shards.appendingPathComponent("prepared/test.safetensors")
        let original = try Data(contentsOf: test)
        var damaged = original
        damaged[damaged.count - 1] ^= 0xFF
        try damaged.write(to: test)
        let failed = work.appendingPathComponent("failed")
        let failedStart = try run(common + ["--out", failed.path])
        #expect(failedStart.status != 0 && failedStart.error.contains("test.safetensors"), "\(failedStart.error)")
        #expect(!FileManager.default.fileExists(atPath: failed.path))
        try original.write(to: test)

        let runURL = work.appendingPathComponent("run")
        #expect(try run(common + ["--out", runURL.path]).status == 0)
        let resumed = try run(["--shards", shards.path, "--method", "fedavg", "--model", "linear", "--rounds", "1",
                               "--batch-size", "4", "--seed", "9", "--out", runURL.path, "--resume"])
        #expect(resumed.status != 0)
        #expect(resumed.error.contains("training.seed: run.json has 3, this command 9"), "\(resumed.error)")
        #expect(resumed.error.contains("training.batchSize: run.json has 8, this command 4"), "\(resumed.error)")

        let noRun = try run(["evaluate", "--run", work.appendingPathComponent("nothing").path])
        #expect(noRun.status != 0 && noRun.error.contains("holds no run") && !noRun.error.contains("--resume"))
        let negativeRate = try run(common + ["--out", failed.path, "--lr", "-1"])
        #expect(negativeRate.status != 0 && negativeRate.error.contains("--lr must be a positive number"))
        let negativeSeed = try run(["--shards", shards.path, "--method", "fedavg", "--out", failed.path, "--seed", "-1"])
        #expect(negativeSeed.status != 0 && negativeSeed.error.contains("--seed must be a whole number"),
                "\(negativeSeed.error)")
    }
}
