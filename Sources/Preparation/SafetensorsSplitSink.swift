#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Checksums
import Foundation

/// Creates the writer of one split file (`images` first, then `labels`, `sources`, `difficult`).
package func makeSplitSink(url: URL, layout: PreparedLayout, count: Int, metadata: [String: String]) throws -> any SplitFileSink {
    try SafetensorsSplitSink(url: url, layout: layout, count: count, metadata: metadata)
}

/// A split file in the safetensors layout of datasets.md, written front to back in one pass and hashed as it
/// is written: 8-byte little-endian header length, JSON header (keys sorted, `__metadata__` strings only)
/// padded with spaces so data starts at a multiple of 64, then images, labels, sources, difficult.
///
/// Interim: the Safetensors module's streaming writer was not published when this pipeline was written; this
/// sink writes the same format and will delegate to it once it lands.
final class SafetensorsSplitSink: SplitFileSink, @unchecked Sendable {
    private let url: URL
    private let descriptor: Int32
    private let hasher = SHA256()
    private let layout: PreparedLayout
    private let count: Int
    private var imageBytesWritten = 0

    init(url: URL, layout: PreparedLayout, count: Int, metadata: [String: String]) throws {
        self.url = url
        self.layout = layout
        self.count = count
        descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw PreparationError.cannotWrite(path: url.path, reason: String(cString: strerror(errno))) }
        let header = Self.header(layout: layout, count: count, metadata: metadata)
        var length = UInt64(header.count).littleEndian
        let lengthBytes = withUnsafeBytes(of: &length) { Array($0) }
        try write(lengthBytes)
        try write(header)
    }

    deinit { close(descriptor) }

    func appendImages(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(imageBytesWritten + bytes.count <= count * layout.imageByteCount, "more image bytes than declared")
        try write(bytes)
        imageBytesWritten += bytes.count
    }

    func finish(labels: [UInt8], difficult: [UInt8]?, sources: [Int64]) throws -> String {
        precondition(imageBytesWritten == count * layout.imageByteCount, "fewer image bytes than declared")
        precondition(labels.count == count * layout.classCount && sources.count == count * 2, "tensor sizes differ from the header")
        try write(labels)
        try sources.map(\.littleEndian).withUnsafeBytes { try write($0) }
        if let difficult { try write(difficult) }
        guard fsync(descriptor) == 0 || errno == EINVAL else {
            throw PreparationError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
        }
        return hasher.finalize()
    }

    private func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    private func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bytes)
        var offset = 0
        while offset < bytes.count {
            let result = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { throw PreparationError.cannotWrite(path: url.path, reason: String(cString: strerror(errno))) }
            offset += result
        }
    }

    /// The JSON header, padded with spaces so that 8 + its length is a multiple of 64.
    static func header(layout: PreparedLayout, count: Int, metadata: [String: String]) -> [UInt8] {
        let imageEnd = count * layout.imageByteCount
        let labelsEnd = imageEnd + count * layout.classCount
        let sourcesEnd = labelsEnd + count * 16
        var entries: [(String, String)] = [
            ("images", tensorJSON("U8", [count, layout.height, layout.width, layout.channels], 0, imageEnd)),
            ("labels", tensorJSON("U8", [count, layout.classCount], imageEnd, labelsEnd)),
            ("sources", tensorJSON("I64", [count, 2], labelsEnd, sourcesEnd)),
        ]
        if layout.hasDifficultMask {
            entries.append(("difficult", tensorJSON("U8", [count, layout.classCount], sourcesEnd, sourcesEnd + count * layout.classCount)))
        }
        let metadataJSON = "{" + metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0] ?? ""))" }
            .joined(separator: ",") + "}"
        entries.append(("__metadata__", metadataJSON))
        entries.sort { $0.0 < $1.0 }
        var text = Array(("{" + entries.map { "\(jsonString($0.0)):\($0.1)" }.joined(separator: ",") + "}").utf8)
        while (8 + text.count) % 64 != 0 { text.append(0x20) }
        return text
    }

    private static func tensorJSON(_ dtype: String, _ shape: [Int], _ begin: Int, _ end: Int) -> String {
        "{\"data_offsets\":[\(begin),\(end)],\"dtype\":\"\(dtype)\",\"shape\":[\(shape.map(String.init).joined(separator: ","))]}"
    }

    private static func jsonString(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 { result += String(format: "\\u%04x", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }
}
