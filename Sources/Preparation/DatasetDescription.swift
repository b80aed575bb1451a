import RawDatasets

/// The contents of `dataset.json`, written next to the split files. Deterministic: no timestamps, no absolute
/// paths, keys sorted, so identical inputs and flags give an identical file.
public struct DatasetDescription: Sendable, Equatable, Codable {
    /// Bumped when the prepared format changes.
    public static let currentFormatVersion = 1

    /// One written split.
    public struct Split: Sendable, Equatable, Codable {
        /// `train.safetensors` etc.
        public var file: String
        public var count: Int
        /// Positives per class (column sums of `labels`), in class order.
        public var classCounts: [Int]
        /// Lowercase hex SHA-256 of the written file.
        public var sha256: String
        /// Names of records skipped with `--skip-bad` (empty otherwise).
        public var skipped: [String]
    }

    /// How the dataset was built.
    public struct Build: Sendable, Equatable, Codable {
        public var tool: String
        public var toolVersion: String
        /// Every option that shapes the output, as given or defaulted (`--composite`: `pairwise`, ...).
        public var flags: [String: String]
        public var seed: UInt64
    }

    public var formatVersion: Int
    public var dataset: String
    public var classNames: [String]
    /// [height, width, channels].
    public var imageShape: [Int]
    public var hasDifficultMask: Bool
    /// By split name (`train`, `val`, `test`).
    public var splits: [String: Split]
    public var build: Build
    public var rawInputs: [RawInputDigest]
}
