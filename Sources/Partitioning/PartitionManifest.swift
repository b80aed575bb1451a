/// `partition.json`: everything needed to re-create and check a shards folder (partition.md, "What the
/// manifest records"). Paths are relative to the shards folder; there are no timestamps, and the JSON is written
/// with sorted keys so equal manifests are equal bytes.
public struct PartitionManifest: Codable, Sendable, Equatable {
    /// The manifest layout version (1).
    public var formatVersion: Int
    /// `Partitioner.algorithmVersion` (`"partition/1"`).
    public var algorithm: String
    public var parameters: Parameters
    /// The attempt (0...9) whose partition was written.
    public var attemptUsed: Int
    public var dataset: Dataset
    /// One entry per client, by index.
    public var clients: [Client]
    public var dropped: Dropped
    /// Positive labels removed by masking, over all clients.
    public var maskedLabels: Int
    public var totals: Totals

    /// `PartitionParameters` as recorded; `alpha` is a number or the string `"inf"`.
    public struct Parameters: Codable, Sendable, Equatable {
        public var clients: Int
        public var alpha: Double
        public var rho: Double
        public var seed: UInt64
        public var absentLabels: String
        public var emptyLabels: String
        public var minClientSize: Int
    }

    /// A file and its SHA-256 (lowercase hex); `file` is relative to the shards folder.
    public struct FileDigest: Codable, Sendable, Equatable {
        public var file: String
        public var sha256: String

        public init(file: String, sha256: String) {
            self.file = file
            self.sha256 = sha256
        }
    }

    /// The prepared dataset the shards came from.
    public struct Dataset: Codable, Sendable, Equatable {
        public var name: String
        public var classNames: [String]
        /// The prepared dataset folder, relative to the shards folder.
        public var folder: String
        /// SHA-256 of its `dataset.json`.
        public var datasetJSONSHA256: String
        public var train: FileDigest
        public var validation: FileDigest
        public var test: FileDigest
    }

    /// One client's shard.
    public struct Client: Codable, Sendable, Equatable {
        public var index: Int
        /// `client-NNN.safetensors`.
        public var file: String
        public var sha256: String
        /// Samples in the shard.
        public var size: Int
        /// Classes the client holds, ascending.
        public var classSet: [Int]
        /// Positives per class (K entries) in the shard's labels (after masking).
        public var classCounts: [Int]
        public var emptyLabelSamples: Int
        public var maskedLabels: Int
    }

    /// Samples in no shard, by reason.
    public struct Dropped: Codable, Sendable, Equatable {
        public var unroutable: Int
        public var noEligibleClient: Int
        public var emptyLabels: Int
    }

    /// Sums over the whole partition.
    public struct Totals: Codable, Sendable, Equatable {
        /// `N`, rows of train.safetensors.
        public var samples: Int
        /// Samples in some shard.
        public var kept: Int
        /// Samples in no shard.
        public var dropped: Int
        /// Positives per class over all shards (after masking).
        public var classCounts: [Int]
        /// Positives per class in the whole training split.
        public var datasetClassCounts: [Int]
        public var emptyLabelSamples: Int
    }
}
