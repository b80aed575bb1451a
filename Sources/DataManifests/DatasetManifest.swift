/// Facts about one dataset, from `data-manifests/<name>.json` (the project's single source of truth): class
/// names in label order, raw split sizes, raw files with sizes and checksums where known, and the defaults the
/// prepare tools use. See docs/formats.md for the JSON format.
public struct DatasetManifest: Codable, Sendable, Equatable {
    /// Version of this JSON format (currently 1).
    public var formatVersion: Int
    /// Short identifier, equal to the file name without `.json` (`"cifar10"`, `"dermamnist"`).
    public var name: String
    /// Human-readable title.
    public var title: String
    /// The labelling task of the raw dataset.
    public var task: DatasetTask
    /// Class names; index `k` is label `k`.
    public var classNames: [String]
    /// Source image size, if every image has it (absent for VOC, whose images vary).
    public var image: ImageGeometry?
    /// Split sizes as published (number of images per split).
    public var rawSplits: [SplitCount]
    /// Number of distinct patients, for medical datasets that publish it.
    public var patientCount: Int?
    /// Raw files with what is known about them.
    public var rawFiles: [RawFile]
    /// How the prepared `train`/`val`/`test` splits are drawn from the raw data, where fixed.
    public var preparedSplits: [PreparedSplit]?
    /// Default composite parameters, for datasets prepared as composite multi-label images.
    public var composite: CompositeDefaults?
    /// Where each fact comes from.
    public var sources: [String]

    /// Number of classes.
    public var classCount: Int { classNames.count }

    /// The raw split called `name`, if any.
    public func rawSplit(named name: String) -> SplitCount? {
        rawSplits.first { $0.name == name }
    }

    /// The raw file called `name` (compared exactly), if any.
    public func rawFile(named name: String) -> RawFile? {
        rawFiles.first { $0.name == name }
    }
}

/// The labelling task of a raw dataset.
public enum DatasetTask: String, Codable, Sendable {
    /// One label out of several.
    case multiClass = "multi-class"
    /// One of two labels.
    case binaryClass = "binary-class"
    /// Several labels per image (multi-hot).
    case multiLabel = "multi-label"
    /// Ordered grades (RetinaMNIST).
    case ordinalRegression = "ordinal-regression"
}

/// Height, width and channels of the source images.
public struct ImageGeometry: Codable, Sendable, Equatable {
    /// Pixels.
    public var height: Int
    /// Pixels.
    public var width: Int
    /// 1 (gray) or 3 (RGB).
    public var channels: Int
}

/// A published split and its size.
public struct SplitCount: Codable, Sendable, Equatable {
    /// Split name as the dataset spells it (`"train"`, `"val"`, `"train_val"`, ...).
    public var name: String
    /// Number of images.
    public var count: Int
}

/// A prepared split (`train`, `val` or `test`) and what it is made from: raw files or a raw split.
public struct PreparedSplit: Codable, Sendable, Equatable {
    /// `"train"`, `"val"` or `"test"`.
    public var name: String
    /// Raw files whose records form the split, in order (CIFAR-10's batches).
    public var rawFiles: [String]?
    /// The raw split used as is (MedMNIST).
    public var rawSplit: String?
}
