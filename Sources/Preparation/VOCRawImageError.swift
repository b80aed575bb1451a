/// A VOC JPEG or ChestX-ray14 PNG that cannot be used. `file` is relative to the dataset root (`--root`), so the
/// message is also fit for the skipped list in `dataset.json`, which never holds absolute paths.
public enum RawImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is missing or unreadable.
    case unreadable(file: String, reason: String)
    /// The codec refused the bytes (truncated, not an image, unsupported variant such as 12-bit JPEG).
    case undecodable(file: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): \(reason); restore the file from the original download, or pass --skip-bad to skip it"
        case .undecodable(let file, let reason):
            return "\(file): cannot be decoded (\(reason)); replace the file, or pass --skip-bad to skip it"
        }
    }
}
