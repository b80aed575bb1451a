/// A file could not be hashed.
public enum ChecksumError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `open(2)` failed (missing file, no permission, a folder).
    case cannotOpen(path: String, reason: String)
    /// `read(2)` failed part way through the file.
    case readFailed(path: String, reason: String)
    /// The file's digest differs from the expected one.
    case mismatch(path: String, algorithm: DigestAlgorithm, expected: String, actual: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "cannot open \(path) to compute its checksum: \(reason); check the path and its permissions"
        case let .readFailed(path, reason):
            "reading \(path) failed while computing its checksum: \(reason)"
        case let .mismatch(path, algorithm, expected, actual):
            "\(path): \(algorithm) is \(actual), expected \(expected); the file is damaged or a different "
                + "version, download it again"
        }
    }
}
