/// The part of a shards folder's `partition.json` the trainer reads (partition.md, "What the manifest records");
/// other keys are ignored. Paths are relative to the shards folder.
public struct ShardManifest: Decodable, Sendable, Equatable {
    /// A file and its SHA-256 (lowercase hex).
    public struct FileDigest: Decodable, Sendable, Equatable {
        public var file: String
        public var sha256: String
    }

    public struct Dataset: Decodable, Sendable, Equatable {
        /// e.g. `cifar10`, `voc2012`, `chestxray14`, `dermamnist`.
        public var name: String
        public var classNames: [String]
        /// The prepared dataset folder, relative to the shards folder (split paths start with it).
        public var folder: String?
        public var validation: FileDigest
        public var test: FileDigest
    }

    public struct Client: Decodable, Sendable, Equatable {
        public var index: Int
        /// `client-NNN.safetensors`.
        public var file: String
        public var sha256: String
        /// Samples in the shard.
        public var size: Int
    }

    public var dataset: Dataset
    public var clients: [Client]
}
