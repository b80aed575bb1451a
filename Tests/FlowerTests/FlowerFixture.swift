import Foundation
import ProcessTestSupport
import Testing

/// What the Flower tests need: the built executables, `tools/flower-run-local`, a small shards folder made with
/// the real pipeline (fednc-samples -> fednc-cifar10 -> fednc-shards), and checks on what a run left behind.
struct FlowerFixture {
    struct Missing: Error, CustomStringConvertible { let description: String }

    let repository: URL
    let binaries: URL
    /// A fresh temporary folder holding `shards/` and every run folder of one test; removed by `removeAll()`.
    let folder: URL

    /// The virtual environment with `flwr[simulation]==1.42.0` (Ray) named by FEDNC_FLOWER_SIM_VENV, or nil: the
    /// simulation-engine tests run only when it is given (Ray is large; tools/setup and CI do not install it).
    static let simulationVenv: String? = ProcessInfo.processInfo.environment["FEDNC_FLOWER_SIM_VENV"]
        .flatMap { $0.isEmpty ? nil : $0 }

    /// `needsDeploymentVenv`: require `.venv-flower` (tools/setup), which the SuperLink/SuperNode tests use; the
    /// simulation-engine tests use FEDNC_FLOWER_SIM_VENV instead.
    init(needsDeploymentVenv: Bool = true) throws {
        let environment = ProcessInfo.processInfo.environment
        repository = URL(fileURLWithPath: environment["FEDNC_REPO_ROOT"] ?? FileManager.default.currentDirectoryPath)
        binaries = ChildProcess.binaryFolder(repositoryRoot: repository)
        for name in ["fednc-train", "fednc-samples", "fednc-cifar10", "fednc-shards"]
        where !FileManager.default.isExecutableFile(atPath: binaries.appendingPathComponent(name).path) {
            throw Missing(description: "\(binaries.path)/\(name) is missing: run tools/test (it builds first)")
        }
        guard !needsDeploymentVenv
            || FileManager.default.isExecutableFile(atPath: repository.appendingPathComponent(".venv-flower/bin/flwr").path)
        else { throw Missing(description: "\(repository.path)/.venv-flower has no flwr: run tools/setup") }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fednc-flower-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    var shards: URL { folder.appendingPathComponent("shards") }

    func removeAll() { try? FileManager.default.removeItem(at: folder) }

    /// Runs one of the built executables and requires exit status 0.
    @discardableResult
    func tool(_ name: String, _ arguments: [String]) throws -> ChildProcess.Outcome {
        let outcome = try ChildProcess.run(binaries.appendingPathComponent(name), arguments)
        try #require(outcome.status == 0, "\(name) \(arguments.joined(separator: " ")): \(outcome.error)")
        return outcome
    }

    /// Three client shards of 64x64 CIFAR-10 sample composites (alpha 0.5, rho 0.5, seed 0), under 1 MB.
    func makeShards() throws {
        let raw = folder.appendingPathComponent("raw"), prepared = folder.appendingPathComponent("prepared")
        try tool("fednc-samples", ["cifar10", "--out", raw.path, "--per-class", "4", "--seed", "0"])
        try tool("fednc-cifar10", ["--raw", raw.appendingPathComponent("cifar-10-binary.tar.gz").path,
                                   "--out", prepared.path, "--allow-short-batches", "--quiet",
                                   "--singles-per-class", "4", "--pairs-per-combination", "1", "--seed", "0"])
        try tool("fednc-shards", ["partition", "--dataset", prepared.path, "--out", shards.path, "--clients", "3",
                                  "--alpha", "0.5", "--rho", "0.5", "--seed", "0"])
    }

    /// The training options every comparison uses: SCAFFOLD on the linear model, 2 rounds, 2 engine threads.
    static let trainingOptions = ["--method", "scaffold", "--model", "linear", "--rounds", "2", "--batch-size", "8",
                                  "--lr", "0.05", "--seed", "3", "--threads", "2"]

    /// `fednc-train` (the simulation) into `out`, with the shared training options and `extra` ones.
    func simulate(into out: URL, _ extra: [String] = []) throws {
        try tool("fednc-train", ["--shards", shards.path, "--out", out.path] + Self.trainingOptions + extra)
    }

    /// `tools/flower-run-local` started in the background with the shared training options.
    /// Makes the shards and the simulated reference run: returns (`simulated`, the reference; `flower`, where the
    /// Flower run under test goes, not yet made), both inside `folder`.
    func simulatedReference() throws -> (simulated: URL, flower: URL) {
        try makeShards()
        let simulated = folder.appendingPathComponent("simulated")
        try simulate(into: simulated)
        return (simulated, folder.appendingPathComponent("flower"))
    }

    /// `tools/flower-sim-run` (Flower's simulation engine, Ray) started in the background with the shared
    /// training options and `extra` ones; the environment's FEDNC_FLOWER_SIM_VENV names its Flower.
    func startSimulationEngine(out: URL, _ extra: [String] = []) throws -> BackgroundProcess {
        return try BackgroundProcess(repository.appendingPathComponent("tools/flower-sim-run"),
                                     ["--shards", shards.path, "--out", out.path, "--bin", binaries.path]
                                        + Self.trainingOptions + extra)
    }

    func startFlower(out: URL, _ extra: [String] = []) throws -> BackgroundProcess {
        return try BackgroundProcess(repository.appendingPathComponent("tools/flower-run-local"),
                                     ["--shards", shards.path, "--out", out.path, "--bin", binaries.path]
                                        + Self.trainingOptions + extra)
    }

    /// The files a Flower run must share byte for byte with the simulation: run.json, the report and the
    /// checkpoint's safetensors (models and method state).
    static func sameBytesFiles(in run: URL) throws -> [String] {
        let checkpoint = try FileManager.default.contentsOfDirectory(atPath: run.appendingPathComponent("checkpoint").path)
        return ["run.json", "report.json", "report.md"]
            + checkpoint.filter { $0.hasSuffix(".safetensors") }.sorted().map { "checkpoint/\($0)" }
    }

    /// Expects the Flower run folder `flower` to equal the simulation's `simulated`: `sameBytesFiles` byte for
    /// byte; checkpoint/state.json and rounds.jsonl as JSON without their wall-clock "seconds".
    static func expectSameRun(_ flower: URL, _ simulated: URL) throws {
        let files = try sameBytesFiles(in: simulated)
        #expect(files.count == 6, "the simulation's checkpoint has \(files.count - 3) safetensors files")
        for file in files {
            let expected = try Data(contentsOf: simulated.appendingPathComponent(file))
            let actual = try Data(contentsOf: flower.appendingPathComponent(file))
            #expect(actual == expected, "\(file) differs between the Flower run and the simulation")
        }
        for file in ["checkpoint/state.json", "rounds.jsonl"] {
            let expected = try withoutSeconds(simulated.appendingPathComponent(file))
            let actual = try withoutSeconds(flower.appendingPathComponent(file))
            #expect(actual == expected, "\(file) differs (beyond \"seconds\") between the Flower run and the simulation")
        }
    }

    /// The JSON values of a .json or .jsonl file with every "seconds" key removed, re-encoded with sorted keys.
    static func withoutSeconds(_ url: URL) throws -> [String] {
        func strip(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                return object.filter { $0.key != "seconds" }.mapValues(strip)
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        return try String(decoding: Data(contentsOf: url), as: UTF8.self).split(separator: "\n").map { line in
            let value = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return String(decoding: try JSONSerialization.data(withJSONObject: strip(value), options: [.sortedKeys]),
                          as: UTF8.self)
        }
    }

    /// `completedRounds` of the run folder's checkpoint/state.json (nil while there is none).
    static func completedRounds(_ run: URL) -> Int? {
        guard let data = try? Data(contentsOf: run.appendingPathComponent("checkpoint/state.json")),
              let state = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return state["completedRounds"] as? Int
    }

    /// Expects that no process of a finished `flower-run-local` or `flower-sim-run` is left: its process group is
    /// empty and no process mentions this test's folder, the runner's temporary folder or its SuperLink's address.
    func expectNoFlowerProcessLeft(_ run: BackgroundProcess) throws {
        let group = run.errorText.firstMatch(of: /process group (\d+);/).map { Int32($0.1)! }
        let pgid = try #require(group, "the runner printed no process group: \(run.errorText)")
        #expect(kill(-pgid, 0) == -1 && errno == ESRCH, "process group \(pgid) still has processes")
        // Every Flower process's command line names the test's folder (SuperNodes: the shards) or the runner's
        // temporary folder (FLWR_HOME, certificates, Ray's RAY_TMPDIR; Flower's SuperExec starts a session of its own).
        let temporary = try #require(run.errorText.firstMatch(of: /temporary folder (\S+)/).map { String($0.1) })
        for path in [folder.path, temporary] {
            let search = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/pgrep"), ["-f", path])
            #expect(search.status == 1, "processes still running for \(path): \(search.output)")
        }
        // The SuperExec and the simulation name only the SuperLink's address (flower-sim-run).
        let address = try #require(run.errorText.firstMatch(of: /SuperLink 127\.0\.0\.1:(\d+)/).map { String($0.1) })
        let search = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/pgrep"),
                                          ["-f", "127\\.0\\.0\\.1:\(address)( |$)"])
        #expect(search.status == 1, "processes still running for the SuperLink 127.0.0.1:\(address): \(search.output)")
    }
}

/// A child process whose standard output and error are collected while it runs (for watching its progress).
final class BackgroundProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var output = Data(), error = Data()

    init(_ executable: URL, _ arguments: [String]) throws {
        process.executableURL = executable
        process.arguments = arguments
        let outputPipe = Pipe(), errorPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        outputPipe.fileHandleForReading.readabilityHandler = { [self] handle in
            let chunk = handle.availableData
            lock.withLock { output.append(chunk) }
        }
        errorPipe.fileHandleForReading.readabilityHandler = { [self] handle in
            let chunk = handle.availableData
            lock.withLock { error.append(chunk) }
        }
        try process.run()
    }

    var outputText: String { lock.withLock { String(decoding: output, as: UTF8.self) } }
    var errorText: String { lock.withLock { String(decoding: error, as: UTF8.self) } }

    /// Waits for the exit (at most `seconds`, then SIGTERM, which the runner answers by stopping its processes).
    func wait(seconds: Double = 900) -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        Thread.sleep(forTimeInterval: 0.3)  // the pipes' last chunks
        return process.terminationStatus
    }

    /// Polls `condition` every 20 ms until it holds (true) or the process ended / `seconds` passed (false).
    func waitFor(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            if !process.isRunning { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// Stops a process still running when a test ends early (the runner then stops every Flower process).
    func stopIfRunning() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
