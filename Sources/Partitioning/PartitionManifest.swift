/// `partition.json`: everything needed to re-create and check a shards folder (partition.md, "What the
/// manifest records"). Paths are relative to the shards folder; there are no timestamps, and the JSON is written
/// with sorted keys so equal manifests are equal bytes.
public struct PartitionManifest: Codable, Sendable, Equatable {
    /// The manifest layout version (1).
    public var formatVersion: Int
    /// `Partitioner.algorithmVersion` (`"partition/1"`).
    public var algorithm: String
    /// The partition parameters.
    public var parameters: Parameters
    /// The attempt (0...9) whose partition was written.
    public var attemptUsed: Int
    /// The prepared dataset the shards came from.
    public var dataset: Dataset
    /// One entry per client, by index.
    public var clients: [Client]
    /// Samples in no shard, by reason.
    public var dropped: Dropped
    /// Positive labels removed by masking, over all clients.
    public var maskedLabels: Int
    /// Sums over the whole partition.
    public var totals: Totals

    /// `PartitionParameters` as recorded; `alpha` is a number or the string `"inf"`.
    public struct Parameters: Codable, Sendable, Equatable {
        /// `M`.
        public var clients: Int
        /// Dirichlet concentration; `.infinity` is written as `"inf"`.
        public var alpha: Double
        /// Fraction of classes per client.
        public var rho: Double
        /// Seed of every stream.
        public var seed: UInt64
        /// `drop` or `mask`.
        public var absentLabels: String
        /// `spread` or `drop`.
        public var emptyLabels: String
        /// Minimum samples per client.
        public var minClientSize: Int
    }

    /// A file and its SHA-256 (lowercase hex); `file` is relative to the shards folder.
    public struct FileDigest: Codable, Sendable, Equatable {
        /// Path relative to the shards folder.
        public var file: String
        /// Lowercase hex SHA-256.
        public var sha256: String

        public init(file: String, sha256: String) {
            self.file = file
            self.sha256 = sha256
        }
    }

    /// The prepared dataset the shards came from.
    public struct Dataset: Codable, Sendable, Equatable {
        /// The name from dataset.json.
        public var name: String
        /// `K` class names in label order.
        public var classNames: [String]
        /// The prepared dataset folder, relative to the shards folder.
        public var folder: String
        /// SHA-256 of its `dataset.json`.
        public var datasetJSONSHA256: String
        /// `train.safetensors`, which the shards partition.
        public var train: FileDigest
        /// `val.safetensors` (global, not partitioned).
        public var validation: FileDigest
        /// `test.safetensors` (global, not partitioned).
        public var test: FileDigest
    }

    /// One client's shard.
    public struct Client: Codable, Sendable, Equatable {
        /// 0-based client index.
        public var index: Int
        /// `client-NNN.safetensors`.
        public var file: String
        /// Lowercase hex SHA-256 of the shard file.
        public var sha256: String
        /// Samples in the shard.
        public var size: Int
        /// Classes the client holds, ascending.
        public var classSet: [Int]
        /// Positives per class (K entries) in the shard's labels (after masking).
        public var classCounts: [Int]
        /// Samples without labels in the shard.
        public var emptyLabelSamples: Int
        /// Positive labels removed by masking.
        public var maskedLabels: Int
    }

    /// Samples in no shard, by reason.
    public struct Dropped: Codable, Sendable, Equatable {
        /// Anchored at a class no client holds.
        public var unroutable: Int
        /// No holder of the anchor class covers the labels (policy `drop`).
        public var noEligibleClient: Int
        /// Without labels, policy `emptyLabels = drop`.
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
        /// Samples without labels over all shards.
        public var emptyLabelSamples: Int
    }
}
