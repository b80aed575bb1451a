import Foundation
import Partitioning
import Safetensors
import Testing

/// Writing shards folders: determinism, contents, atomicity, refusal to overwrite.
@Suite("Partitioning shards folder", .serialized)
struct ShardsFolderTests {
    let parameters = PartitionParameters(clients: 5, alpha: 0.5, rho: 0.5, seed: 3)

    @Test func twoRunsAndOneVersusThreeWorkersAreByteIdentical() throws {
        let scratch = try PreparedDatasetFixture.scratchFolder("identical")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let prepared = try PreparedDatasetFixture.make(in: scratch)
        var folders = [URL]()
        for (run, workers) in [1, 1, 3].enumerated() {
            let out = scratch.appendingPathComponent("shards-\(run)")
            let outcome = try ShardsFolderWriter(datasetFolder: prepared, shardsFolder: out, parameters: parameters,
                                                 workers: workers).write()
            #expect(outcome.wroteFiles)
            folders.append(out)
        }
        let first = try PreparedDatasetFixture.contents(of: folders[0])
        #expect(first.count == 6)
        #expect(try PreparedDatasetFixture.contents(of: folders[1]) == first)
        #expect(try PreparedDatasetFixture.contents(of: folders[2]) == first)
    }

    @Test(arguments: [AbsentLabelPolicy.drop, .mask])
    func shardsHoldTheClientsRowsInAscendingOrder(absent: AbsentLabelPolicy) throws {
        let scratch = try PreparedDatasetFixture.scratchFolder("contents-\(absent)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let prepared = try PreparedDatasetFixture.make(in: scratch)
        let out = scratch.appendingPathComponent("shards")
        var parameters = parameters
        parameters.absentLabels = absent
        let manifest = try ShardsFolderWriter(datasetFolder: prepared, shardsFolder: out, parameters: parameters)
            .write().manifest
        let train = try SafetensorsFile(contentsOf: prepared.appendingPathComponent("train.safetensors"))
        let trainImages = try train.array(of: UInt8.self, "images")
        let trainLabels = try train.array(of: UInt8.self, "labels")
        let trainSources = try train.array(of: Int64.self, "sources")
        let trainDifficult = try train.array(of: UInt8.self, "difficult")
        var seen = Set<Int64>()
        for client in manifest.clients {
            let shard = try SafetensorsFile(contentsOf: out.appendingPathComponent(client.file))
            let indices = try shard.array(of: Int64.self, "indices")
            #expect(indices == indices.sorted() && indices.count == client.size)
            #expect(shard.metadata["client"] == String(client.index))
            let images = try shard.array(of: UInt8.self, "images")
            let labels = try shard.array(of: UInt8.self, "labels")
            let sources = try shard.array(of: Int64.self, "sources")
            let difficult = try shard.array(of: UInt8.self, "difficult")
            #expect(try shard.info("images").shape == [client.size, 8, 8, 3])
            for (row, index) in indices.enumerated() {
                let sample = Int(index)
                #expect(seen.insert(index).inserted)
                #expect(images[(row * 192)..<((row + 1) * 192)] == trainImages[(sample * 192)..<((sample + 1) * 192)])
                #expect(sources[(row * 2)..<(row * 2 + 2)] == trainSources[(sample * 2)..<(sample * 2 + 2)])
                #expect(difficult[(row * 6)..<(row * 6 + 6)] == trainDifficult[(sample * 6)..<(sample * 6 + 6)])
                for classIndex in 0..<6 {
                    let stored = labels[row * 6 + classIndex]
                    let original = trainLabels[sample * 6 + classIndex]
                    #expect(stored == (client.classSet.contains(classIndex) ? original : 0))
                    if absent == .drop { #expect(stored == original) }
                }
            }
        }
        #expect(seen.count + manifest.dropped.unroutable + manifest.dropped.noEligibleClient
            + manifest.dropped.emptyLabels == 400)
        #expect(manifest.dataset.folder == "../prepared")
        #expect(manifest.dataset.train.file == "../prepared/train.safetensors")
    }

    @Test func sameParametersAreANoOpOthersAreRefused() throws {
        let scratch = try PreparedDatasetFixture.scratchFolder("rerun")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let prepared = try PreparedDatasetFixture.make(in: scratch)
        let out = scratch.appendingPathComponent("shards")
        let first = try ShardsFolderWriter(datasetFolder: prepared, shardsFolder: out, parameters: parameters).write()
        let before = try PreparedDatasetFixture.contents(of: out)
        let again = try ShardsFolderWriter(datasetFolder: prepared, shardsFolder: out, parameters: parameters).write()
        #expect(!again.wroteFiles && again.manifest == first.manifest)
        var other = parameters
        other.seed = 4
        #expect {
            try ShardsFolderWriter(datasetFolder: prepared, shardsFolder: out, parameters: other).write()
        } throws: { error in
            guard case .outputExists = error as? ShardError else { return false }
            return String(describing: error).contains("seed=3") && String(describing: error).contains("seed=4")
        }
        #expect(try PreparedDatasetFixture.contents(of: out) == before)
    }

    @Test func failedPartitionWritesNothing() throws {
        let scratch = try PreparedDatasetFixture.scratchFolder("failure")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let prepared = try PreparedDatasetFixture.make(in: scratch)
        let out = scratch.appendingPathComponent("shards")
        var impossible = parameters
        impossible.minClientSize = 1000
        #expect {
            try ShardsFolderWriter(datasetFolder: prepared, shardsFolder: out, parameters: impossible).write()
        } throws: { error in
            guard case .partitionFailed(.tooManyClients) = error as? ShardError else { return false }
            return true
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["prepared"])
    }

    @Test func missingDatasetFilesAreNamed() throws {
        let scratch = try PreparedDatasetFixture.scratchFolder("missing")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let prepared = try PreparedDatasetFixture.make(in: scratch)
        try FileManager.default.removeItem(at: prepared.appendingPathComponent("test.safetensors"))
        #expect {
            try ShardsFolderWriter(datasetFolder: prepared, shardsFolder: scratch.appendingPathComponent("s"),
                                   parameters: parameters).write()
        } throws: { error in
            String(describing: error).contains("test.safetensors")
        }
    }
}

/// Python's `safetensors` + `numpy` read the shards (the format contract of datasets.md).
@Suite("Partitioning shards read by Python")
struct ShardsPythonReadTests {
    @Test func pythonSafetensorsReadsAShard() throws {
        let scratch = try PreparedDatasetFixture.scratchFolder("python")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let prepared = try PreparedDatasetFixture.make(in: scratch)
        let shards = scratch.appendingPathComponent("shards")
        let manifest = try ShardsFolderWriter(datasetFolder: prepared, shardsFolder: shards,
                                              parameters: PartitionParameters(clients: 2, alpha: 1, rho: 1, seed: 0))
            .write().manifest
        let script = """
        import sys, numpy as np
        from safetensors.numpy import load_file
        from safetensors import safe_open
        shard = load_file(sys.argv[1]); train = load_file(sys.argv[2])
        rows = shard["indices"]
        assert (shard["images"] == train["images"][rows]).all()
        assert (shard["sources"] == train["sources"][rows]).all()
        with safe_open(sys.argv[1], "np") as f: meta = f.metadata()
        print(shard["images"].shape[0], shard["labels"].dtype, meta["client"], int(shard["labels"].sum()))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, shards.appendingPathComponent("client-001.safetensors").path,
                             prepared.appendingPathComponent("train.safetensors").path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let client = manifest.clients[1]
        #expect(text == "\(client.size) uint8 1 \(client.classCounts.reduce(0, +))\n")
    }
}
