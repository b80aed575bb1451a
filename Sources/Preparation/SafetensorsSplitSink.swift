#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Checksums
import Foundation
import Safetensors

/// Creates the writer of one split file.
package func makeSplitSink(url: URL, layout: PreparedLayout, count: Int, metadata: [String: String],
                           precomputedSources: [Int64]? = nil) throws -> any SplitFileSink {
    try SafetensorsSplitSink(url: url, layout: layout, count: count, metadata: metadata, precomputedSources: precomputedSources)
}

/// A split file in the project's safetensors layout (`SafetensorsHeader.layout`: the same header and data
/// order `SafetensorsWriter` produces), written in ONE pass: since the record count is known, the header is
/// written first and images go straight to their final offsets as windows complete; labels, sources and the
/// difficult mask are written at their offsets at the end. (`SafetensorsWriter` spills every tensor and copies
/// it again, twice the bytes for a multi-GB images tensor.)
///
/// SHA-256: when the sources are known up front and there is no difficult mask, the file is written strictly
/// front to back (prefix, sources, images, labels: the layout's data order) and hashed as it is written;
/// otherwise it is hashed by reading the finished file back (from the page cache).
final class SafetensorsSplitSink: SplitFileSink, @unchecked Sendable {
    private let url: URL
    private let descriptor: Int32
    private let layout: PreparedLayout
    private let count: Int
    private let header: SafetensorsHeader
    private let dataStart: Int
    private var imageBytesWritten = 0
    /// Hashes everything written when the file is written in order (nil: hash by reading back).
    private let streamingHasher: SHA256?
    private let precomputedSources: [Int64]?

    init(url: URL, layout: PreparedLayout, count: Int, metadata: [String: String], precomputedSources: [Int64]?) throws {
        self.url = url
        self.layout = layout
        self.count = count
        header = layout.splitFileHeader(count: count, metadata: metadata)
        descriptor = open(url.path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw PreparationError.cannotWrite(path: url.path, reason: String(cString: strerror(errno))) }
        let prefix = header.encodedPrefix()
        dataStart = prefix.count
        let inOrder = precomputedSources != nil && !layout.hasDifficultMask
            && header.dataOrder == ["sources", "images", "labels"]
        streamingHasher = inOrder ? SHA256() : nil
        self.precomputedSources = inOrder ? precomputedSources : nil
        try prefix.withUnsafeBytes { try write($0, at: 0) }
        if let sources = self.precomputedSources {
            precondition(sources.count == count * 2, "precomputed sources must hold 2 per record")
            try sources.map(\.littleEndian).withUnsafeBytes { try write($0, at: offset(of: "sources")) }
        }
    }

    deinit { close(descriptor) }

    func appendImages(_ bytes: UnsafeRawBufferPointer) throws {
        let start = imageBytesWritten
        hashImages(bytes)
        try writeImages(bytes, atImageByte: start)
    }

    /// True when the file is hashed as it is written (sources known up front, no difficult mask): then
    /// `hashImages` and `writeImages` may run on two threads at once for the same bytes.
    var hashesWhileWriting: Bool { streamingHasher != nil }

    /// Feeds the next image bytes, in file order, to the running SHA-256 (if any) and counts them as written. One
    /// thread at a time; with `writeImages` for the same bytes it does what `appendImages` does.
    func hashImages(_ bytes: UnsafeRawBufferPointer) {
        precondition(imageBytesWritten + bytes.count <= count * layout.imageByteCount, "more image bytes than declared")
        streamingHasher?.update(bytes)
        imageBytesWritten += bytes.count
    }

    /// Writes image bytes at byte `imageByte` of the images tensor without hashing them; safe to call while another
    /// thread runs `hashImages` (distinct state: positional writes only).
    func writeImages(_ bytes: UnsafeRawBufferPointer, atImageByte imageByte: Int) throws {
        precondition(imageByte + bytes.count <= count * layout.imageByteCount, "image bytes outside the images tensor")
        try pwriteAll(bytes, at: offset(of: "images") + imageByte)
    }

    func finish(labels: [UInt8], difficult: [UInt8]?, sources: [Int64]) throws -> String {
        precondition(imageBytesWritten == count * layout.imageByteCount, "fewer image bytes than declared")
        precondition(labels.count == count * layout.classCount && sources.count == count * 2, "tensor sizes differ from the header")
        try labels.withUnsafeBytes { try write($0, at: offset(of: "labels")) }
        if let streamingHasher, let precomputedSources {
            precondition(precomputedSources == sources, "a producer's precomputed sources differ from the records it produced")
            return streamingHasher.finalize()
        }
        try sources.map(\.littleEndian).withUnsafeBytes { try write($0, at: offset(of: "sources")) }
        if let difficult { try difficult.withUnsafeBytes { try write($0, at: offset(of: "difficult")) } }
        do {
            return try Checksums.sha256(fileAt: url)
        } catch {
            throw PreparationError.cannotWrite(path: url.path, reason: FileSystemErrorText.reason(error))
        }
    }

    private func offset(of tensor: String) -> Int {
        dataStart + (header.tensors[tensor]?.dataOffsets.lowerBound ?? 0)
    }

    /// Hashes (when hashing while writing) and writes `bytes` at file offset `position`.
    private func write(_ bytes: UnsafeRawBufferPointer, at position: Int) throws {
        streamingHasher?.update(bytes)
        try pwriteAll(bytes, at: position)
    }

    private func pwriteAll(_ bytes: UnsafeRawBufferPointer, at position: Int) throws {
        var done = 0
        while done < bytes.count {
            let result = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(position + done))
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { throw PreparationError.cannotWrite(path: url.path, reason: String(cString: strerror(errno))) }
            done += result
        }
    }
}
