#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One-call digests of files and byte buffers.
public enum Checksums {
    /// Bytes read per `read(2)` call while hashing a file: 4 MiB, large enough that system-call overhead
    /// is negligible next to hashing, small enough to stay in cache.
    public static let fileChunkByteCount = 4 << 20

    /// SHA-256 of the file at `url`, lowercase hex. Streams the file in 4 MiB chunks (constant memory).
    public static func sha256(fileAt url: URL) throws(ChecksumError) -> String {
        try digests(fileAt: url, algorithms: [.sha256])[.sha256] ?? ""
    }

    /// MD5 of the file at `url`, lowercase hex. Streams the file in 4 MiB chunks (constant memory).
    public static func md5(fileAt url: URL) throws(ChecksumError) -> String {
        try digests(fileAt: url, algorithms: [.md5])[.md5] ?? ""
    }

    /// Several digests of the regular file at `url` from a single read pass, lowercase hex, keyed by algorithm.
    public static func digests(fileAt url: URL, algorithms: Set<DigestAlgorithm>) throws(ChecksumError)
        -> [DigestAlgorithm: String]
    {
        let path = url.path
        // Non-blocking open, then only a regular file is hashed: a FIFO, device or folder is refused at once
        // (reading one could block forever or never end). `O_NONBLOCK` has no effect on a regular file's reads.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: errnoDescription()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .cannotOpen(path: path, reason: errnoDescription()) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw .cannotOpen(path: path, reason: "not a regular file") }
        #if canImport(Glibc)
        _ = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
        let ordered = algorithms.sorted { $0.rawValue < $1.rawValue }
        let hashers = ordered.map { $0.makeHasher() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: fileChunkByteCount, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: errnoDescription())
            }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            for hasher in hashers { hasher.update(chunk) }
        }
        var result = [DigestAlgorithm: String]()
        for (algorithm, hasher) in zip(ordered, hashers) { result[algorithm] = hasher.finalize() }
        return result
    }

    /// Throws `ChecksumError.mismatch` unless the file's digest equals `expected` (hex, any case).
    public static func verify(fileAt url: URL, algorithm: DigestAlgorithm, expected: String) throws(ChecksumError) {
        let actual = try digests(fileAt: url, algorithms: [algorithm])[algorithm] ?? ""
        guard actual == expected.lowercased() else {
            throw .mismatch(path: url.path, algorithm: algorithm, expected: expected.lowercased(), actual: actual)
        }
    }

    /// SHA-256 of `bytes` (`[UInt8]`, `Data`, `UnsafeRawBufferPointer`, ...), lowercase hex.
    public static func sha256(of bytes: some ContiguousBytes) -> String {
        let hasher = SHA256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// SHA-256 of the UTF-8 bytes of `text`, lowercase hex.
    public static func sha256(ofUTF8 text: String) -> String {
        let hasher = SHA256()
        hasher.update(utf8: text)
        return hasher.finalize()
    }

    /// MD5 of `bytes`, lowercase hex.
    public static func md5(of bytes: some ContiguousBytes) -> String {
        let hasher = MD5()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Lowercase hexadecimal of `bytes`, two characters per byte.
    public static func hexString(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var characters = [UInt8]()
        characters.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: characters, as: UTF8.self)
    }

    private static func errnoDescription() -> String {
        String(cString: strerror(errno))
    }
}
