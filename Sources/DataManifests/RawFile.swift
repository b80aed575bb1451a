/// One raw file of a dataset and what is known about it. Sizes and checksums are present only where published
/// or measured; readers verify what is present and must not trust anything else.
public struct RawFile: Codable, Sendable, Equatable {
    /// What a file is for.
    public enum Kind: String, Codable, Sendable {
        /// A downloadable archive of the whole dataset (`.tar.gz`).
        case archive
        /// Fixed-size records (CIFAR-10 batches).
        case records
        /// A NumPy `.npz` archive (MedMNIST).
        case npz
        /// The class-name list (`batches.meta.txt`).
        case classNames = "class-names"
        /// A label table (ChestX-ray14's CSV).
        case labels
        /// A list of image ids for one split.
        case list
    }

    /// File name, or path relative to the dataset root (`ImageSets/Main/train.txt`).
    public var name: String
    /// What the file holds.
    public var kind: Kind
    /// The raw split the file belongs to, if it belongs to one.
    public var split: String?
    /// Exact size in bytes, if fixed.
    public var byteCount: Int?
    /// Number of records, rows (without header) or list lines, if known.
    public var recordCount: Int?
    /// Side length in pixels of the images inside (MedMNIST+ variants: 28, 64, 128, 224).
    public var imageSide: Int?
    /// Published MD5, lowercase hex.
    public var md5: String?
    /// SHA-256, lowercase hex.
    public var sha256: String?
}
