import Checksums
import Foundation
import Safetensors

/// `fednc-shards partition`: partitions a prepared dataset and writes a shards folder (`client-NNN.safetensors`
/// and `partition.json`), atomically: everything goes to a hidden temporary sibling folder that is renamed onto
/// the output at the end, and removed on failure.
///
/// An existing output folder holding the same partition (same algorithm, parameters and input checksums) is left
/// as it is; any other existing, non-empty folder is refused.
public struct ShardsFolderWriter: Sendable {
    /// The prepared dataset folder.
    public var datasetFolder: URL
    /// The shards folder to create.
    public var shardsFolder: URL
    /// The partition parameters.
    public var parameters: PartitionParameters
    /// Threads writing shards (>= 1). The bytes written never depend on it.
    public var workers: Int

    /// What `write` did.
    public struct Outcome: Sendable {
        /// The manifest of the shards folder (written now or found).
        public let manifest: PartitionManifest
        /// `false` when the folder already held this exact partition and nothing was written.
        public let wroteFiles: Bool
        /// Image bytes copied into shards (0 when nothing was written).
        public let imageByteCount: Int
        /// Wall-clock seconds of each phase: reading the labels and partitioning; then hashing the prepared
        /// dataset's files together with writing (and hashing) the shards and the manifest.
        public let seconds: (partition: Double, hashAndWrite: Double)
    }

    /// A writer; `workers` below 1 counts as 1.
    public init(datasetFolder: URL, shardsFolder: URL, parameters: PartitionParameters, workers: Int = 1) {
        self.datasetFolder = datasetFolder
        self.shardsFolder = shardsFolder
        self.parameters = parameters
        self.workers = max(1, workers)
    }

    /// Partitions and writes. `progress` is called with (shards written, shards in total) from worker threads.
    public func write(progress: (@Sendable (Int, Int) -> Void)? = nil) throws(ShardError) -> Outcome {
        let clock = PhaseClock()
        let dataset = try PreparedDataset(folder: datasetFolder)
        let plan: PartitionPlan
        do {
            plan = try Partitioner.partition(dataset.labels, parameters: parameters)
        } catch {
            throw .partitionFailed(error)
        }
        let partitionSeconds = clock.lap()
        if let existing = try existingManifest() {
            let inputs = try InputDigests(dataset: dataset, workers: workers)
            let expected = ManifestBuilder(dataset: dataset, plan: plan, inputs: inputs, shardsFolder: shardsFolder)
            if let difference = expected.differenceInInputs(from: existing) {
                throw .outputExists(path: shardsFolder.path, reason: "holds a different partition (\(difference)); "
                                    + "choose another --out or remove the folder")
            }
            return Outcome(manifest: existing, wroteFiles: false, imageByteCount: 0,
                           seconds: (partitionSeconds, clock.lap()))
        }

        let staging = try makeStagingFolder()
        do throws(ShardError) {
            // One pool of jobs: hashing the prepared dataset's files (train first: the longest job) overlaps with
            // writing the shards, largest shard first so that no long job starts last. Each job's result lands
            // in its own slot, so the order of work never changes the output.
            let writer = ClientShardWriter(dataset: dataset, plan: plan)
            let done = Counter()
            let total = plan.clients.count
            let fileCount = InputDigests.fileNames.count
            let clientOrder = plan.clients.indices.sorted {
                (plan.clients[$0].size, $1) > (plan.clients[$1].size, $0)
            }
            let scheduled = try ParallelWork.map(count: fileCount + total, workers: workers) {
                job throws(ShardError) -> String in
                if job < fileCount { return try InputDigests.digest(job, of: dataset) }
                let client = plan.clients[clientOrder[job - fileCount]]
                let url = staging.appendingPathComponent(PartitionManifest.shardFileName(client: client.index))
                let written = try writer.write(client, to: url)
                progress?(done.increment(), total)
                return written.sha256
            }
            var digests = scheduled
            for (job, clientIndex) in clientOrder.enumerated() { digests[fileCount + clientIndex] = scheduled[fileCount + job] }
            let inputs = InputDigests(digests: Array(digests[..<fileCount]))
            let builder = ManifestBuilder(dataset: dataset, plan: plan, inputs: inputs, shardsFolder: shardsFolder)
            let manifest = builder.manifest(shardDigests: Array(digests[fileCount...]))
            let json: Data
            do {
                json = try manifest.encodedJSON()
            } catch {
                throw ShardError.invalidJSON(path: PartitionManifest.fileName, reason: "cannot encode: \(error)")
            }
            let manifestWriter = try HashingFileWriter(
                destination: staging.appendingPathComponent(PartitionManifest.fileName))
            try manifestWriter.append([UInt8](json))
            _ = try manifestWriter.commit()
            try publish(staging)
            let imageBytes = plan.keptCount * dataset.imageShape.reduce(1, *)
            return Outcome(manifest: manifest, wroteFiles: true, imageByteCount: imageBytes,
                           seconds: (partitionSeconds, clock.lap()))
        } catch {
            try? FileManager.default.removeItem(at: staging)
            PartialOutputRegistry.unregister(staging)
            throw error
        }
    }

    /// The manifest of an existing output folder; `nil` when the folder is absent or empty.
    private func existingManifest() throws(ShardError) -> PartitionManifest? {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: shardsFolder.path, isDirectory: &isFolder) else { return nil }
        guard isFolder.boolValue else {
            throw .outputExists(path: shardsFolder.path, reason: "is a file, not a folder; choose another --out")
        }
        let contents = (try? manager.contentsOfDirectory(atPath: shardsFolder.path)) ?? []
        if contents.isEmpty { return nil }
        let manifestURL = shardsFolder.appendingPathComponent(PartitionManifest.fileName)
        guard FileManager.default.fileExists(atPath: manifestURL.path) else {
            throw .outputExists(path: shardsFolder.path,
                                reason: "is not empty and has no \(PartitionManifest.fileName); choose another --out")
        }
        return try PartitionManifest.read(shardsFolder: shardsFolder)
    }

    /// Creates `.<name>.partial-<pid>` next to the output folder (removing a stale one of the same name, and those
    /// of killed runs).
    private func makeStagingFolder() throws(ShardError) -> URL {
        let parent = shardsFolder.standardizedFileURL.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(
            ".\(shardsFolder.standardizedFileURL.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            if FileManager.default.fileExists(atPath: staging.path) {
                try FileManager.default.removeItem(at: staging)
            }
            AbandonedPartialOutputs.removeAll(besides: shardsFolder.standardizedFileURL)
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
            PartialOutputRegistry.register(staging)
        } catch {
            throw .fileSystem(path: staging.path, reason: "cannot create the temporary folder: \(error.localizedDescription)")
        }
        return staging
    }

    /// Renames the finished staging folder onto the output (an empty output folder is replaced).
    private func publish(_ staging: URL) throws(ShardError) {
        let target = shardsFolder.standardizedFileURL.path
        if FileManager.default.fileExists(atPath: target) {
            _ = rmdir(target)  // only ever an empty folder (existingManifest() refused anything else)
        }
        guard rename(staging.path, target) == 0 else {
            throw .fileSystem(path: target, reason: "cannot rename \(staging.path) onto it: "
                              + String(cString: strerror(errno)))
        }
        PartialOutputRegistry.unregister(staging)
    }
}

/// Seconds since the previous lap (monotonic clock).
private final class PhaseClock {
    private var last = DispatchTime.now().uptimeNanoseconds

    func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) / 1e9
    }
}

/// A thread-safe counter for progress reports.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
