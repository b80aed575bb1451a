#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Random-access storage for `count` images of `imageByteCount` bytes each (H x W x C, row-major).
///
/// Arrays up to `inMemoryLimit` bytes live in memory; larger ones (MedMNIST+ 128/224 px) are streamed into an
/// unlinked temporary file and mapped read-only, so the process never holds an anonymous copy of gigabytes.
public final class ImageArrayStorage: @unchecked Sendable {
    /// Arrays above this many bytes are spilled to a mapped temporary file (256 MiB).
    public static let inMemoryLimit = 256 << 20

    public let count: Int
    public let imageByteCount: Int
    private let base: UnsafeRawPointer
    private let release: () -> Void

    /// Fills the storage from `source`, which must yield exactly `count * imageByteCount` bytes; arrays larger
    /// than `inMemoryLimit` bytes are spilled to a mapped temporary file in `spillDirectory` (default: the
    /// system's temporary folder).
    public init(count: Int, imageByteCount: Int, from source: inout some ByteSource, spillDirectory: String? = nil,
                inMemoryLimit: Int = ImageArrayStorage.inMemoryLimit) throws {
        self.count = count
        self.imageByteCount = imageByteCount
        let total = count * imageByteCount
        if total <= inMemoryLimit {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(total, 1), alignment: 64)
            do {
                try source.readExactly(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<total]), context: "the image data")
            } catch {
                buffer.deallocate()
                throw error
            }
            base = UnsafeRawPointer(buffer.baseAddress!)
            release = { buffer.deallocate() }
            return
        }
        let directory = spillDirectory ?? NSTemporaryDirectory()
        var template = Array(((directory as NSString).appendingPathComponent("fednc-images-XXXXXX")).utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw RawInputFileError.cannotOpen(path: directory, reason: "cannot create a temporary file: \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        defer { close(fd) }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { chunk.deallocate() }
        var remaining = total
        while remaining > 0 {
            let piece = UnsafeMutableRawBufferPointer(rebasing: chunk[0..<min(remaining, chunk.count)])
            try source.readExactly(into: piece, context: "the image data")
            var written = 0
            while written < piece.count {
                let result = write(fd, piece.baseAddress! + written, piece.count - written)
                guard result > 0 else {
                    throw RawInputFileError.readFailed(path: directory, reason: "writing the temporary image file failed: \(String(cString: strerror(errno)))")
                }
                written += result
            }
            remaining -= piece.count
        }
        guard let mapped = mmap(nil, total, PROT_READ, MAP_SHARED, fd, 0), mapped != MAP_FAILED else {
            throw RawInputFileError.readFailed(path: directory, reason: "cannot map the temporary image file")
        }
        base = UnsafeRawPointer(mapped)
        release = { munmap(mapped, total) }
    }

    deinit { release() }

    /// The bytes of image `index` (valid while the storage lives).
    public func image(at index: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(index >= 0 && index < count, "image index \(index) outside 0..<\(count)")
        return UnsafeBufferPointer(start: (base + index * imageByteCount).assumingMemoryBound(to: UInt8.self),
                                   count: imageByteCount)
    }
}
