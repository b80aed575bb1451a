import Checksums

/// Passes another stream through while feeding every byte to SHA-256 and MD5, so a raw input is read once for
/// both its contents and its checksums. A class, so the caller keeps a handle after wrapping it further.
public final class HashingSource<Upstream: ByteSource>: ByteSource {
    public var origin: String { upstream.origin }
    private var upstream: Upstream
    private let sha256 = SHA256()
    private let md5 = MD5()
    /// Bytes passed through so far.
    public private(set) var byteCount = 0

    public init(_ upstream: Upstream) { self.upstream = upstream }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let got = try upstream.read(into: buffer)
        let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<got])
        sha256.update(chunk)
        md5.update(chunk)
        byteCount += got
        return got
    }

    /// Reads what is left of the upstream (hashing it) and returns the digests of everything.
    public func finish() throws -> (sha256: String, md5: String) {
        var remainder = self
        _ = try remainder.drain()
        return (sha256.finalize(), md5.finalize())
    }
}

/// A raw input file read by a converter, as recorded in `dataset.json`.
public struct RawInputDigest: Sendable, Equatable, Codable {
    /// The file's name (no folders: prepared datasets never record absolute paths).
    public let name: String
    public let byteCount: Int
    /// Lowercase hex SHA-256 of the whole file.
    public let sha256: String

    public init(name: String, byteCount: Int, sha256: String) {
        self.name = name
        self.byteCount = byteCount
        self.sha256 = sha256
    }
}
