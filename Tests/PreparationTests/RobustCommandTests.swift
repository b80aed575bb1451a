import Foundation
import Testing

/// The converters and fednc-shards as processes: failed runs end cleanly (no crash report, every thread joined),
/// FIFOs never block, signals remove the staging output, and `fednc-shards leftovers` finds what SIGKILL leaves.
@Suite("Robust command lines", .serialized)
struct RobustCommandTests {
    /// Signs of a crash on standard error (Swift's crash reporter, glibc, the shell).
    private static func looksCrashed(_ text: String) -> Bool {
        ["💣", "Program crashed", "Fatal error", "Segmentation", "Aborted", "Illegal instruction", "backtrace"]
            .contains { text.contains($0) }
    }

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
        let child = try Child(try executable("fednc-cifar10"),
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
            let child = try Child(try executable("fednc-cifar10"),
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

/// A running child process whose standard error is collected in a file (so it never blocks on a pipe).
private final class Child {
    let process = Process()
    private let errorFile: URL

    init(_ executable: URL, _ arguments: [String]) throws {
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("fednc-child-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
    }

    deinit { try? FileManager.default.removeItem(at: errorFile) }

    /// Waits up to `seconds` for the process to exit; true when it did.
    func wait(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(2_000) }
        if process.isRunning { return false }
        process.waitUntilExit()
        return true
    }

    func standardError() -> String {
        (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
    }
}
