import Federation
import Foundation
import ProcessTestSupport
import Safetensors
import Testing

/// Runs a run's steps one process per step, as a deployment does, and compares the run folder with
/// `fednc-train train`'s.
struct StepDriver {
    struct Failed: Error, CustomStringConvertible { var description: String }

    let work: URL

    func fednc(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        guard let executable = TrainerExecutable.url else { throw Failed(description: "fednc-train not built") }
        return try ChildProcess.run(executable, arguments)
    }

    @discardableResult
    func succeed(_ arguments: [String]) throws -> String {
        let outcome = try fednc(arguments)
        guard outcome.status == 0 else {
            throw Failed(description: "fednc-train \(arguments.joined(separator: " ")) failed: \(outcome.error)")
        }
        return outcome.output
    }

    struct PlanLine: Decodable {
        var round: Int
        var kind: String
        var participants: [Int]
    }

    /// `server plan` into `messages/`; nil when done.
    func plan(run: URL) throws -> PlanLine? {
        let output = try succeed(["server", "plan", "--run", run.path, "--messages", messages.path])
        let plan = try JSONDecoder().decode(PlanLine.self, from: Data(output.utf8))
        return plan.kind == "done" ? nil : plan
    }

    var messages: URL { work.appendingPathComponent("messages") }
    var replies: URL { work.appendingPathComponent("replies") }
    var state: URL { work.appendingPathComponent("client-state") }

    func clientStep(client: Int, shards: URL, extra: [String] = []) throws -> (status: Int32, output: String, error: String) {
        try fednc(["client", "step", "--message", messages.appendingPathComponent(StepMessage.fileName(client: client)).path,
                   "--shards", shards.path, "--client", String(client), "--state", state.path,
                   "--reply", replies.appendingPathComponent(StepReply.fileName(client: client)).path] + extra)
    }

    /// Every step of the run in `run` until it is finished.
    func runAll(run: URL, shards: URL) throws {
        try FileManager.default.createDirectory(at: replies, withIntermediateDirectories: true)
        while let plan = try plan(run: run) {
            for client in plan.participants {
                let outcome = try clientStep(client: client, shards: shards)
                guard outcome.status == 0 else { throw Failed(description: "client step \(client): \(outcome.error)") }
            }
            try succeed(["server", "collect", "--run", run.path, "--replies", replies.path])
        }
    }
}

/// JSON with every `seconds` key removed (wall-clock time is the only field allowed to differ).
func withoutSeconds(_ data: Data) throws -> Data {
    func strip(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            return object.filter { $0.key != "seconds" }.mapValues(strip)
        }
        if let array = value as? [Any] { return array.map(strip) }
        return value
    }
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
    var result = Data()
    for line in lines {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])
        result += try JSONSerialization.data(withJSONObject: strip(object), options: [.sortedKeys, .fragmentsAllowed])
        result.append(0x0A)
    }
    return result
}

@Suite("Step commands", .enabled(if: TrainerExecutable.url != nil))
struct StepCommandTests {
    static let comparedFiles = ["run.json", "report.json", "report.md", "checkpoint/model.safetensors",
                                "checkpoint/best-model.safetensors", "checkpoint/algorithm-state.safetensors"]
    static let timedFiles = ["rounds.jsonl", "checkpoint/state.json"]

    func expectSameRun(_ simulated: URL, _ stepped: URL) throws {
        for file in Self.comparedFiles {
            let a = try Data(contentsOf: simulated.appendingPathComponent(file))
            let b = try Data(contentsOf: stepped.appendingPathComponent(file))
            #expect(a == b, "\(file) differs")
        }
        for file in Self.timedFiles {
            let a = try withoutSeconds(Data(contentsOf: simulated.appendingPathComponent(file)))
            let b = try withoutSeconds(Data(contentsOf: stepped.appendingPathComponent(file)))
            #expect(a == b, "\(file) differs beyond seconds")
        }
    }

    /// `fednc-train train` and the step commands on the same flags; returns both run folders' parent.
    func compare(_ options: [String], shards: URL, work: URL) throws {
        let driver = StepDriver(work: work)
        let simulated = work.appendingPathComponent("simulated"), stepped = work.appendingPathComponent("stepped")
        try driver.succeed(["train", "--shards", shards.path, "--out", simulated.path] + options)
        try driver.succeed(["server", "start", "--shards", shards.path, "--out", stepped.path] + options)
        try driver.runAll(run: stepped, shards: shards)
        try expectSameRun(simulated, stepped)
    }

    @Test("One process per step reproduces fednc-train --model linear byte for byte",
          arguments: ["fedavg", "fedprox", "fedcurv", "scaffold", "spherefed", "fedncalign"], ["1", "0.5"])
    func stepsEqualSimulation(method: String, participation: String) throws {
        let shards = try ShardFixture.synthetic()
        let work = ShardFixture.temporaryRunFolder()
        defer {
            try? FileManager.default.removeItem(at: shards)
            try? FileManager.default.removeItem(at: work)
        }
        try compare(["--method", method, "--model", "linear", "--rounds", "3", "--batch-size", "8", "--lr", "0.05",
                     "--seed", "3", "--participation", participation, "--threads", "2"], shards: shards, work: work)
    }

    @Test("FedNCAlign-ML on a narrow ResNet-18: steps reproduce the simulation byte for byte")
    func resNetStepsEqualSimulation() throws {
        let shards = try ShardFixture.synthetic(clientCount: 3)
        let work = ShardFixture.temporaryRunFolder()
        defer {
            try? FileManager.default.removeItem(at: shards)
            try? FileManager.default.removeItem(at: work)
        }
        try compare(["--method", "fedncalign", "--width", "0.125", "--input-size", "16", "--stem", "cifar",
                     "--rounds", "2", "--batch-size", "8", "--lr", "3e-3", "--participation", "0.7", "--threads", "2"],
                    shards: shards, work: work)
        // Batch-norm counters are stored as int64, as PyTorch does, and hold whole numbers after averaging.
        let model = try SafetensorsFile(contentsOf: work.appendingPathComponent("simulated/checkpoint/model.safetensors"))
        let counters = model.tensorNames.filter { $0.hasSuffix("num_batches_tracked") }
        #expect(!counters.isEmpty)
        for name in counters {
            #expect(try model.info(name).dtype == .int64, "\(name)")
            #expect(try model.array(of: Int64.self, name).allSatisfy { $0 > 0 }, "\(name)")
        }
    }

    @Test("Refusals: foreign shard, wrong client, another build, missing and duplicate reply, centralized start")
    func refusals() throws {
        let shards = try ShardFixture.synthetic()
        let otherShards = try ShardFixture.write(clients: SyntheticImages.clients(4, size: 24, seed: 7),
                                                 validation: SyntheticImages.make(count: 60, seed: 2, stream: "validation"),
                                                 test: SyntheticImages.make(count: 60, seed: 3, stream: "test"))
        let work = ShardFixture.temporaryRunFolder()
        defer {
            for url in [shards, otherShards, work] { try? FileManager.default.removeItem(at: url) }
        }
        let driver = StepDriver(work: work)
        let run = work.appendingPathComponent("run")
        let options = ["--method", "scaffold", "--model", "linear", "--rounds", "2", "--batch-size", "8", "--threads", "2"]

        let centralized = work.appendingPathComponent("centralized")
        let refused = try driver.fednc(["server", "start", "--shards", shards.path, "--out", centralized.path,
                                        "--method", "centralized", "--model", "linear"])
        #expect(refused.status != 0 && refused.error.contains("fednc-train train"), "\(refused.error)")
        #expect(!FileManager.default.fileExists(atPath: centralized.path))

        try driver.succeed(["server", "start", "--shards", shards.path, "--out", run.path] + options)
        let identity = try JSONDecoder().decode(ServerIdentity.self,
                                                from: Data(try driver.succeed(["server", "identify", "--run", run.path]).utf8))
        #expect(identity.clients.count == 4 && identity.threads == 2)
        let node = try JSONDecoder().decode(ClientIdentity.self, from: Data(try driver.succeed(
            ["client", "identify", "--shards", shards.path, "--client", "1"]).utf8))
        #expect(node.partitionSHA256 == identity.partitionSHA256 && node.shardSHA256 == identity.clients[1].shardSHA256)

        let plan = try #require(try driver.plan(run: run))
        #expect(plan.round == 1 && plan.participants == [0, 1, 2, 3])
        try FileManager.default.createDirectory(at: driver.replies, withIntermediateDirectories: true)

        let foreign = try driver.clientStep(client: 0, shards: otherShards)
        #expect(foreign.status != 0 && foreign.error.contains("partition") && foreign.error.contains("client 0"),
                "\(foreign.error)")
        let wrongClient = try driver.fednc(["client", "step", "--message",
                                            driver.messages.appendingPathComponent(StepMessage.fileName(client: 0)).path,
                                            "--shards", shards.path, "--client", "2", "--state", driver.state.path,
                                            "--reply", driver.replies.appendingPathComponent("x.safetensors").path])
        #expect(wrongClient.status != 0 && wrongClient.error.contains("for client 0"), "\(wrongClient.error)")

        // A message from another build.
        let messageURL = driver.messages.appendingPathComponent(StepMessage.fileName(client: 3))
        let original = try SafetensorsFile(contentsOf: messageURL)
        var tensors = [String: TensorData]()
        for name in original.tensorNames { tensors[name] = try original.tensorData(name) }
        var metadata = original.metadata
        metadata["fednc"] = metadata["fednc"]?.replacingOccurrences(of: FederatedRun.codeVersion, with: "fednc-train/0")
        let oldBuild = work.appendingPathComponent("old-build.message.safetensors")
        try Safetensors.write(tensors: tensors, metadata: metadata, to: oldBuild)
        let versionRefused = try driver.fednc(["client", "step", "--message", oldBuild.path, "--shards", shards.path,
                                               "--client", "3", "--state", driver.state.path, "--reply",
                                               driver.replies.appendingPathComponent("y.safetensors").path])
        #expect(versionRefused.status != 0 && versionRefused.error.contains("fednc-train/0"), "\(versionRefused.error)")

        for client in 0..<3 { #expect(try driver.clientStep(client: client, shards: shards).status == 0) }
        let stateBefore = try Data(contentsOf: run.appendingPathComponent("checkpoint/state.json"))
        let missing = try driver.fednc(["server", "collect", "--run", run.path, "--replies", driver.replies.path])
        #expect(missing.status != 0 && missing.error.contains("no reply from client(s) 3"), "\(missing.error)")
        // Client 0's reply also filed as client 3's: a duplicate.
        try FileManager.default.copyItem(at: driver.replies.appendingPathComponent(StepReply.fileName(client: 0)),
                                         to: driver.replies.appendingPathComponent(StepReply.fileName(client: 3)))
        let duplicate = try driver.fednc(["server", "collect", "--run", run.path, "--replies", driver.replies.path])
        #expect(duplicate.status != 0 && duplicate.error.contains("two replies from client 0"), "\(duplicate.error)")
        #expect(try Data(contentsOf: run.appendingPathComponent("checkpoint/state.json")) == stateBefore)

        // The real reply: the round completes.
        try FileManager.default.removeItem(at: driver.replies.appendingPathComponent(StepReply.fileName(client: 3)))
        #expect(try driver.clientStep(client: 3, shards: shards).status == 0)
        let collected = try driver.succeed(["server", "collect", "--run", run.path, "--replies", driver.replies.path])
        #expect(collected.contains("\"finished\":false") && collected.contains("\"round\":1"), "\(collected)")
    }
}
