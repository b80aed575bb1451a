import Foundation
import ProcessTestSupport
import Testing

/// The converters and fednc-shards as processes: failed runs end cleanly (no crash report, every thread joined),
/// FIFOs never block, signals remove the staging output, and `fednc-shards leftovers` finds what SIGKILL leaves.
@Suite("Robust command lines", .serialized)
struct RobustCommandTests {
    /// Signs of a crash on standard error (Swift's crash reporter, glibc, the shell).
    private static func looksCrashed(_ text: String) -> Bool { RunningChild.looksCrashed(text) }

    /// Before: the tarball's hashing thread was still inside libcrypto when the main thread exited after the
    /// error, and about 2% of runs died with SIGSEGV, SIGABRT or SIGILL after printing it.
    @Test("200 failing fednc-cifar10 runs on a tarball: exit 1, one error line, never a signal or crash report")
    func failedTarballRunsNeverCrash() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let raw = folder.appendingPathComponent("raw")
        let samples = try run(try executable("fednc-samples"), ["cifar10", "--out", raw.path, "--per-class", "2"])
        try #require(samples.status == 0, "\(samples.error)")
        // A tarball whose data_batch_1.bin has label byte 17 in its first record.
        let batches = raw.appendingPathComponent("cifar-10-batches-bin")
        let batch = batches.appendingPathComponent("data_batch_1.bin")
        var bytes = try Data(contentsOf: batch)
        bytes[0] = 17
        try bytes.write(to: batch)
        let badTarball = folder.appendingPathComponent("bad-label.tar.gz")
        let tar = try run(URL(fileURLWithPath: "/bin/tar"), ["czf", badTarball.path, "-C", raw.path, "cifar-10-batches-bin"])
        try #require(tar.status == 0, "\(tar.error)")
        let cases: [(arguments: [String], expected: String)] = [
            (["--raw", badTarball.path, "--allow-short-batches"], "label byte 17"),
            (["--raw", raw.appendingPathComponent("cifar-10-binary.tar.gz").path], "--allow-short-batches"),
        ]
        let tool = try executable("fednc-cifar10")
        for (arguments, expected) in cases {
            for attempt in 0..<100 {
                let out = folder.appendingPathComponent("out-\(attempt)").path
                let result = try run(tool, arguments + ["--out", out, "--quiet"])
                #expect(result.status == 1 && !Self.looksCrashed(result.error) && result.error.contains(expected),
                        "run \(attempt) of \(arguments): status \(result.status), stderr \(result.error)")
                #expect(result.error.split(separator: "\n").count == 1, "\(result.error)")
                if result.status != 1 { return }
            }
        }
    }

    /// Before: fednc-cifar10 opened the FIFO and waited forever for a writer.
    @Test("a FIFO named data_batch_2.bin: fednc-cifar10 fails at once naming it")
    func fifoDoesNotBlock() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let raw = folder.appendingPathComponent("raw")
        _ = try run(try executable("fednc-samples"), ["cifar10", "--out", raw.path, "--per-class", "2"])
        let fifo = raw.appendingPathComponent("cifar-10-batches-bin/data_batch_2.bin")
        try FileManager.default.removeItem(at: fifo)
        try #require(mkfifo(fifo.path, 0o600) == 0)
        let child = try RunningChild(try executable("fednc-cifar10"),
                              ["--raw", raw.appendingPathComponent("cifar-10-batches-bin").path,
                               "--out", folder.appendingPathComponent("prepared").path, "--allow-short-batches"])
        let finished = child.wait(seconds: 60)
        if !finished { kill(child.process.processIdentifier, SIGKILL); child.process.waitUntilExit() }
        #expect(finished, "fednc-cifar10 still waiting on the FIFO after 60 s")
        #expect(child.process.terminationStatus == 1)
        let error = child.standardError()
        #expect(error.contains("data_batch_2.bin") && error.contains("not a regular file"), "\(error)")
    }

    /// Before: a signal killed the converter and its `.prepared.partial-PID` folder stayed behind.
    @Test("SIGTERM and SIGINT during a conversion remove its staging folder; exit 143 and 130")
    func signalsRemoveStagingOutput() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let raw = folder.appendingPathComponent("raw")
        let samples = try run(try executable("fednc-samples"), ["cifar10", "--out", raw.path, "--per-class", "300"])
        try #require(samples.status == 0, "\(samples.error)")
        for (signal, status) in [(SIGTERM, Int32(143)), (SIGINT, Int32(130))] {
            let out = folder.appendingPathComponent("prepared")
            let child = try RunningChild(try executable("fednc-cifar10"),
                                  ["--raw", raw.appendingPathComponent("cifar-10-batches-bin").path, "--out", out.path,
                                   "--allow-short-batches", "--quiet", "--workers", "2"])
            let staging = folder.appendingPathComponent(".prepared.partial-\(child.process.processIdentifier)")
            var sawStaging = false
            for _ in 0..<20_000 where child.process.isRunning {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: staging.path)) ?? []
                if names.contains(where: { $0.hasSuffix(".safetensors") }) { sawStaging = true; break }
                usleep(500)
            }
            try #require(sawStaging, "the conversion ended before its staging folder was seen")
            kill(child.process.processIdentifier, signal)
            try #require(child.wait(seconds: 60))
            #expect(child.process.terminationReason == .exit && child.process.terminationStatus == status,
                    "signal \(signal): status \(child.process.terminationStatus)")
            #expect(!FileManager.default.fileExists(atPath: staging.path))
            #expect(!FileManager.default.fileExists(atPath: out.path))
            #expect(!Self.looksCrashed(child.standardError()), "\(child.standardError())")
        }
    }

    /// Before: "--seed -1" read "-1" as an option ("Missing value for --seed"), and "--clients 1000000" on the
    /// sample data wrote a million mostly empty shards.
    @Test("a negative --seed names the value; --clients beyond the samples is refused naming the limit")
    func commandLineLimits() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let raw = folder.appendingPathComponent("raw")
        _ = try run(try executable("fednc-samples"), ["cifar10", "--out", raw.path, "--per-class", "2"])
        let prepared = folder.appendingPathComponent("prepared").path
        let negative = try run(try executable("fednc-cifar10"), ["--raw", raw.appendingPathComponent("cifar-10-batches-bin").path,
                                                                 "--out", prepared, "--allow-short-batches", "--seed", "-1"])
        #expect(negative.status != 0 && negative.error.contains("'-1' is invalid") && !negative.error.contains("Missing value"),
                "\(negative.error)")
        let converted = try run(try executable("fednc-cifar10"), ["--raw", raw.appendingPathComponent("cifar-10-batches-bin").path,
                                                                  "--out", prepared, "--allow-short-batches", "--quiet"])
        try #require(converted.status == 0, "\(converted.error)")
        let shards = folder.appendingPathComponent("shards")
        let many = try run(try executable("fednc-shards"), ["partition", "--dataset", prepared, "--out", shards.path,
                                                            "--clients", "1000000", "--alpha", "0.5", "--rho", "0.5", "--seed", "0"])
        #expect(many.status == 1 && many.error.contains("at most") && many.error.contains("--clients"), "\(many.error)")
        #expect(!FileManager.default.fileExists(atPath: shards.path))

        // Dropped samples are announced prominently (unless --quiet); the timing line needs --verbose.
        let skewed = ["partition", "--dataset", prepared, "--clients", "4", "--alpha", "0.5", "--rho", "0.3", "--seed", "0"]
        let loud = try run(try executable("fednc-shards"), skewed + ["--out", shards.path])
        try #require(loud.status == 0, "\(loud.error)")
        #expect(loud.error.contains("warning: ") && loud.error.contains("training samples are in no shard")
                && loud.error.contains("--absent-labels mask") && !loud.error.contains("timing:"), "\(loud.error)")
        let quiet = try run(try executable("fednc-shards"), skewed + ["--out", shards.path + "-quiet", "--quiet", "--verbose"])
        #expect(quiet.status == 0 && !quiet.error.contains("warning:") && quiet.error.contains("timing:"), "\(quiet.error)")
    }

    @Test("fednc-shards leftovers lists stale staging folders and removes them only with --remove")
    func leftovers() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let stale = folder.appendingPathComponent(".prepared.partial-\(gone.processIdentifier)")
        let live = folder.appendingPathComponent(".shards.partial-\(getpid())")
        let kept = folder.appendingPathComponent("prepared")
        for url in [stale, live, kept] { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        try Data(count: 1000).write(to: stale.appendingPathComponent("train.safetensors"))
        let tool = try executable("fednc-shards")
        let listed = try run(tool, ["leftovers", folder.path])
        #expect(listed.status == 0)
        #expect(listed.output.contains(stale.lastPathComponent) && !listed.output.contains(live.lastPathComponent), "\(listed.output)")
        #expect(FileManager.default.fileExists(atPath: stale.path))
        let removed = try run(tool, ["leftovers", folder.path, "--remove"])
        #expect(removed.status == 0 && removed.output.contains("removed"))
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(FileManager.default.fileExists(atPath: live.path) && FileManager.default.fileExists(atPath: kept.path))
        #expect(try run(tool, ["leftovers", folder.path]).output.contains("no leftovers"))
    }
}
