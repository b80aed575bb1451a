import Foundation
import ProcessTestSupport
import SeededRandom
import Testing

/// Ctrl-C during training: `fednc-train` prints the resume command and exits with 130, whatever its worker threads
/// are doing at that moment, and the run resumes.
@Suite("fednc-train interrupted", .enabled(if: TrainerExecutable.url != nil), .serialized)
struct InterruptTests {
    /// Before: the handler called `exit(130)`, which ran exit handlers while the engine's workers were still inside
    /// a training step; about 3 runs in 10 then died with SIGSEGV (status 139) after printing the resume command.
    @Test("SIGINT at a seeded moment inside training: exit 130, no crash, resume command printed, --resume works")
    func interruptDuringTraining() throws {
        let executable = try #require(TrainerExecutable.url)
        let shards = try ShardFixture.synthetic()
        defer { try? FileManager.default.removeItem(at: shards) }
        var random = Xoshiro256StarStar(seed: 17)
        for attempt in 0..<8 {
            let runURL = ShardFixture.temporaryRunFolder()
            defer { try? FileManager.default.removeItem(at: runURL) }
            let arguments = ["--shards", shards.path, "--method", "fedavg", "--width", "0.125", "--input-size", "24",
                             "--stem", "cifar", "--rounds", "40", "--batch-size", "4", "--out", runURL.path,
                             "--seed", "\(attempt)"]
            let child = try RunningChild(executable, arguments)
            let rounds = runURL.appendingPathComponent("rounds.jsonl")
            for _ in 0..<30_000 where child.process.isRunning && !FileManager.default.fileExists(atPath: rounds.path) {
                usleep(1_000)
            }
            try #require(child.process.isRunning, "attempt \(attempt): the run ended before round 1 was written")
            usleep(UInt32(random.uniformInt(400_000)))
            kill(child.process.processIdentifier, SIGINT)
            try #require(child.wait(seconds: 60), "attempt \(attempt): still running 60 s after SIGINT")
            let error = child.standardError()
            #expect(child.process.terminationReason == .exit && child.process.terminationStatus == 130,
                    "attempt \(attempt): status \(child.process.terminationStatus), reason \(child.process.terminationReason.rawValue): \(error.suffix(600))")
            #expect(!RunningChild.looksCrashed(error), "attempt \(attempt): \(error.suffix(600))")
            #expect(error.contains("Resume with:") && error.contains("--resume"), "attempt \(attempt): \(error.suffix(600))")
            if attempt == 0 {
                let resumed = try ChildProcess.run(executable, arguments + ["--resume"])
                #expect(resumed.status == 0, "\(resumed.error.suffix(600))")
            }
        }
    }
}
