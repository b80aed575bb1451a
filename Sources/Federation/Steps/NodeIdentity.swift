import Checksums
import Foundation

/// `fednc-train server identify`: what a run expects of its nodes.
public struct ServerIdentity: Codable, Sendable, Equatable {
    public struct Client: Codable, Sendable, Equatable {
        public var client: Int
        /// SHA-256 partition.json records for the client's shard.
        public var shardSHA256: String
    }

    public var codeVersion: String
    public var runID: String
    public var partitionSHA256: String
    public var threads: Int
    public var clients: [Client]

    /// Reads run.json, run-id and the run's partition.json (no shard is read).
    public init(run: URL) throws {
        let configuration = try FederatedRun.readConfiguration(from: run)
        let idURL = run.appendingPathComponent("run-id")
        guard let id = try? String(contentsOf: idURL, encoding: .utf8) else { throw CheckpointError.missing(file: idURL.path) }
        let shards = try ShardFolder(url: URL(fileURLWithPath: configuration.shards))
        codeVersion = FederatedRun.codeVersion
        runID = id.trimmingCharacters(in: .whitespacesAndNewlines)
        partitionSHA256 = configuration.shardManifestSHA256
        threads = configuration.threads
        clients = shards.manifest.clients.map { Client(client: $0.index, shardSHA256: $0.sha256.lowercased()) }
    }
}

/// `fednc-train client identify`: what a node holds.
public struct ClientIdentity: Codable, Sendable, Equatable {
    public var codeVersion: String
    public var partitionSHA256: String
    public var client: Int
    /// SHA-256 of the node's shard file as it is on disk.
    public var shardSHA256: String

    /// Hashes the node's partition.json and its client's shard file.
    public init(shards: ShardFolder, client: Int) throws {
        guard shards.manifest.clients.indices.contains(client) else {
            throw StepError("client \(client) is not in \(shards.url.path)/partition.json (clients 0..."
                            + "\(shards.manifest.clients.count - 1)); pass this node's --client")
        }
        codeVersion = FederatedRun.codeVersion
        partitionSHA256 = shards.manifestSHA256
        self.client = client
        shardSHA256 = try Checksums.sha256(fileAt: shards.url.appendingPathComponent(shards.manifest.clients[client].file))
    }
}
