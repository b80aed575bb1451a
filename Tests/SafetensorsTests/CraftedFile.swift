import Foundation

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

    static func write(_ bytes: [UInt8], to url: URL) throws {
        try Data(bytes).write(to: url)
    }
}
