import Checksums
import Foundation

/// `fednc-shards verify`: re-hashes every file a shards folder's `partition.json` names, re-runs the partition
/// from the manifest's parameters against the prepared dataset (re-creating every shard's bytes in memory to hash
/// them) and lists every difference.
public struct ShardVerifier: Sendable {
    /// The shards folder.
    public var shardsFolder: URL
    /// Threads hashing and re-creating shards (>= 1).
    public var workers: Int

    /// What was checked and what differs (empty `differences` = the folder is exactly what the manifest says).
    public struct Report: Sendable {
        /// Files whose SHA-256 was recomputed.
        public let filesHashed: Int
        /// One line per difference, naming the file or manifest field.
        public let differences: [String]
    }

    /// The prepared dataset folder given explicitly (`--dataset`); nil follows `DatasetLocation`'s rule.
    public var datasetFolder: URL?

    /// A verifier; `workers` below 1 counts as 1.
    public init(shardsFolder: URL, datasetFolder: URL? = nil, workers: Int = 1) {
        self.shardsFolder = shardsFolder
        self.datasetFolder = datasetFolder
        self.workers = max(1, workers)
    }

    /// Runs every check. Reads only the files partition.json names inside the shards folder (validated:
    /// `client-NNN.safetensors`; a symbolic link there is a difference, not followed) and the prepared dataset
    /// found by `DatasetLocation`.
    /// - Throws: `ShardError` when the manifest or the prepared dataset cannot be read at all.
    public func verify() throws(ShardError) -> Report {
        let recorded = try PartitionManifest.read(shardsFolder: shardsFolder)
        var differences = [String]()
        let hashed = try hashRecordedFiles(recorded, differences: &differences)

        guard let parameters = recorded.parameters.partitionParameters else {
            differences.append("parameters: unknown policy name in \(ManifestDifferences.describe(recorded.parameters))")
            return Report(filesHashed: hashed, differences: differences)
        }
        let location = try DatasetLocation.resolve(shardsFolder: shardsFolder, manifest: recorded, explicit: datasetFolder)
        let dataset = try PreparedDataset(folder: location.folder)
        let inputs = try InputDigests(dataset: dataset, workers: workers)
        let plan: PartitionPlan
        do {
            plan = try Partitioner.partition(dataset.labels, parameters: parameters)
        } catch {
            differences.append("re-running the partition fails: \(error)")
            return Report(filesHashed: hashed + 4, differences: differences)
        }
        let writer = ClientShardWriter(dataset: dataset, plan: plan)
        let expectedDigests = try ParallelWork.map(count: plan.clients.count, workers: workers) {
            index throws(ShardError) in try writer.write(plan.clients[index], to: nil).sha256
        }
        let expected = ManifestBuilder(dataset: dataset, plan: plan, inputs: inputs, shardsFolder: shardsFolder)
            .manifest(shardDigests: expectedDigests)
        differences += ManifestDifferences.list(recorded: recorded, expected: expected)
        return Report(filesHashed: hashed + 4, differences: differences)
    }

    /// Hashes every shard file the manifest lists and compares with the recorded SHA-256; returns files hashed.
    private func hashRecordedFiles(_ manifest: PartitionManifest,
                                   differences: inout [String]) throws(ShardError) -> Int {
        let folder = shardsFolder
        let files = manifest.clients.map { ($0.file, $0.sha256) }
        let outcomes = try ParallelWork.map(count: files.count, workers: workers) { index throws(ShardError) -> String? in
            let (file, recordedDigest) = files[index]
            let url = folder.appendingPathComponent(file)
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: url.path) {
                return "\(file): a symbolic link (to \(target)), not a file of the shards folder; replace it with "
                    + "a copy of the shard it points to, or re-create the shards with fednc-shards partition"
            }
            guard FileManager.default.fileExists(atPath: url.path) else { return "\(file): missing" }
            let actual: String
            do throws(ChecksumError) {
                actual = try Checksums.sha256(fileAt: url)
            } catch {
                throw .checksum(error)
            }
            return actual == recordedDigest ? nil : "\(file): sha256 is \(actual), manifest records \(recordedDigest)"
        }
        differences += outcomes.compactMap { $0 }
        let listed = Set(files.map(\.0))
        let present = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in present.sorted()
        where name.hasPrefix("client-") && name.hasSuffix(".safetensors") && !listed.contains(name) {
            differences.append("\(name): not listed in \(PartitionManifest.fileName)")
        }
        return files.count
    }
}
