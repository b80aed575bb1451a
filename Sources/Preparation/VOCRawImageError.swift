/// A VOC JPEG or ChestX-ray14 PNG that cannot be used. `file` is relative to the dataset root (`--root`).
///
/// The description states the problem only: the pipeline reports it after the record's name (the same relative
/// path), both in the error line and in `dataset.json`'s skipped list, which never holds absolute paths.
public enum RawImageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is missing or unreadable.
    case unreadable(file: String, reason: String)
    /// The codec refused the bytes (truncated, not an image, unsupported variant such as 12-bit JPEG).
    case undecodable(file: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(_, let reason):
            return "\(reason) (restore it from the original download)"
        case .undecodable(_, let reason):
            return "cannot be decoded: \(reason)"
        }
    }
}
