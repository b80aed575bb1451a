import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Builds raw safetensors bytes from a literal header, for tests of the reader's validation.
enum CraftedFile {
    /// 8-byte little-endian length, `header` as UTF-8 (unpadded), then `dataByteCount` bytes of `0xAB`.
    static func bytes(header: String, dataByteCount: Int) -> [UInt8] {
        let json = Array(header.utf8)
        var bytes = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(json.count) >> (8 * UInt64($0))) }
        bytes += json
        bytes += [UInt8](repeating: 0xAB, count: dataByteCount)
        return bytes
    }

    /// Replaces the file's content with `bytes`: overwrite in place, then cut to length. Foundation's
    /// `Data.write` and `O_TRUNC` both make ext4 flush on close (about 10 ms per call here), too slow for
    /// thousands of fuzz cases.
    static func write(_ bytes: [UInt8], to url: URL) throws {
        let descriptor = open(url.path, O_WRONLY | O_CREAT, 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(descriptor) }
        let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == bytes.count, ftruncate(descriptor, off_t(bytes.count)) == 0 else {
            throw CocoaError(.fileWriteUnknown)
        }
    }
}
