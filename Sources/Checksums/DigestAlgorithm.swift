/// The digest algorithms the project computes.
public enum DigestAlgorithm: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// SHA-256: every file the tools write and every raw input they read (`dataset.json`, `partition.json`).
    case sha256
    /// MD5: only to compare with checksums that upstream datasets publish.
    case md5

    /// Digest length in bytes.
    public var digestByteCount: Int {
        switch self {
        case .sha256: 32
        case .md5: 16
        }
    }

    /// `"sha256"` or `"md5"`.
    public var description: String { rawValue }

    /// A fresh streaming hasher for this algorithm.
    public func makeHasher() -> MessageDigest {
        switch self {
        case .sha256: SHA256()
        case .md5: MD5()
        }
    }
}
