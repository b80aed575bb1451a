#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Random-access storage for `count` images of `imageByteCount` bytes each (H x W x C, row-major).
///
/// Arrays up to `inMemoryLimit` bytes live in memory; larger ones (MedMNIST+ 128/224 px) are extracted into an
/// unlinked, mapped temporary file, so the process never holds an anonymous copy of gigabytes.
public final class ImageArrayStorage: @unchecked Sendable {
    /// Arrays above this many bytes are spilled to a mapped temporary file (256 MiB).
    public static let inMemoryLimit = 256 << 20

    public let count: Int
    public let imageByteCount: Int
    private let base: UnsafeRawPointer
    private let release: () -> Void

    /// Fills the storage by extracting `member` (an `.npy` of `headerSize` header bytes, then `count` images) in
    /// one piece (`ZipArchive.extractWholeMember`: libdeflate, about twice zlib's speed); the header stays in
    /// front of the images. Members above `inMemoryLimit` bytes go to an unlinked, mapped temporary file in
    /// `spillDirectory` (its blocks reserved first).
    public init(count: Int, imageByteCount: Int, member: ZipMember, headerSize: Int, of zip: ZipArchive,
                spillDirectory: String? = nil, inMemoryLimit: Int = ImageArrayStorage.inMemoryLimit) throws {
        precondition(member.uncompressedSize == headerSize + count * imageByteCount, "the member must hold exactly the images")
        self.count = count
        self.imageByteCount = imageByteCount
        let total = member.uncompressedSize
        if total <= inMemoryLimit {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(total, 1), alignment: 64)
            do {
                try zip.extractWholeMember(member, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<total]))
            } catch {
                buffer.deallocate()
                throw error
            }
            base = UnsafeRawPointer(buffer.baseAddress! + headerSize)
            release = { buffer.deallocate() }
            return
        }
        let directory = spillDirectory ?? NSTemporaryDirectory()
        let fd = try Self.makeUnlinkedFile(in: directory)
        defer { close(fd) }
        let mapped: UnsafeMutableRawPointer
        do {
            mapped = try SharedFileMapping.reserveAndMap(descriptor: fd, size: total)
        } catch {
            throw RawInputFileError.readFailed(path: directory, reason: "the temporary image file: \(error.reason)")
        }
        do {
            try zip.extractWholeMember(member, into: UnsafeMutableRawBufferPointer(start: mapped, count: total))
        } catch {
            munmap(mapped, total)
            throw error
        }
        base = UnsafeRawPointer(mapped + headerSize)
        release = { munmap(mapped, total) }
    }

    /// Creates a temporary file in `directory` and unlinks it at once (it disappears with its descriptor).
    private static func makeUnlinkedFile(in directory: String) throws -> Int32 {
        var template = Array(((directory as NSString).appendingPathComponent("fednc-images-XXXXXX")).utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw RawInputFileError.cannotOpen(path: directory, reason: "cannot create a temporary file: \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return fd
    }

    deinit { release() }

    /// The bytes of image `index` (valid while the storage lives).
    public func image(at index: Int) -> UnsafeBufferPointer<UInt8> {
        precondition(index >= 0 && index < count, "image index \(index) outside 0..<\(count)")
        return UnsafeBufferPointer(start: (base + index * imageByteCount).assumingMemoryBound(to: UInt8.self),
                                   count: imageByteCount)
    }
}
