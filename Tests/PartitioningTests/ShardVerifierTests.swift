import Foundation
import Partitioning
import Testing

/// `verify`: a clean folder passes; a flipped byte and a changed seed are reported.
@Suite("Partitioning verify", .serialized)
struct ShardVerifierTests {
    private func writeShards(_ label: String) throws -> (scratch: URL, shards: URL) {
        let scratch = try PreparedDatasetFixture.scratchFolder(label)
        let prepared = try PreparedDatasetFixture.make(in: scratch)
        let shards = scratch.appendingPathComponent("shards")
        _ = try ShardsFolderWriter(datasetFolder: prepared, shardsFolder: shards,
                                   parameters: PartitionParameters(clients: 4, alpha: 1, rho: 0.5, seed: 8)).write()
        return (scratch, shards)
    }

    @Test func cleanFolderHasNoDifferences() throws {
        let (scratch, shards) = try writeShards("verify-clean")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let report = try ShardVerifier(shardsFolder: shards, workers: 2).verify()
        #expect(report.differences.isEmpty, "\(report.differences)")
        #expect(report.filesHashed == 8)
    }

    @Test func flippedByteInAShardIsReported() throws {
        let (scratch, shards) = try writeShards("verify-flip")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = shards.appendingPathComponent("client-002.safetensors")
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count - 5] ^= 0x01
        try bytes.write(to: url)
        let report = try ShardVerifier(shardsFolder: shards).verify()
        #expect(report.differences.count == 1)
        #expect(report.differences.first?.hasPrefix("client-002.safetensors: sha256 is") == true)
    }

    @Test func symbolicLinkedShardIsReported() throws {
        let (scratch, shards) = try writeShards("verify-link")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = shards.appendingPathComponent("client-001.safetensors")
        let elsewhere = scratch.appendingPathComponent("elsewhere.safetensors")
        try FileManager.default.moveItem(at: url, to: elsewhere)
        try FileManager.default.createSymbolicLink(at: url, withDestinationURL: elsewhere)
        let report = try ShardVerifier(shardsFolder: shards).verify()
        #expect(report.differences.count == 1, "\(report.differences)")
        #expect(report.differences.first?.hasPrefix("client-001.safetensors: a symbolic link (to \(elsewhere.path))")
                == true, "\(report.differences)")
    }

    @Test func changedSeedInManifestIsReported() throws {
        let (scratch, shards) = try writeShards("verify-seed")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = shards.appendingPathComponent("partition.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("\"seed\" : 8"))
        try text.replacingOccurrences(of: "\"seed\" : 8", with: "\"seed\" : 9").write(to: url, atomically: true,
                                                                                       encoding: .utf8)
        let report = try ShardVerifier(shardsFolder: shards).verify()
        #expect(!report.differences.isEmpty)
        #expect(report.differences.contains { $0.hasPrefix("clients[") && $0.contains(".sha256") })
    }
}
