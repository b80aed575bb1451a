import Checksums
import Foundation
import Imaging
import RawDatasets

/// Reads one raw image file, records its SHA-256, decodes it with `decode` and resizes it into a record slot.
/// Shared by the VOC (JPEG, RGB) and ChestX-ray14 (PNG, gray) producers.
struct RawImageReader: Sendable {
    /// Output side in pixels (square).
    let size: Int
    /// Output channels (3 for VOC, 1 for ChestX-ray14).
    let channels: Int

    /// Reads `path` (shown as `relativeName`), stores its digest in `digests[index]`, decodes, converts to
    /// `channels`, resizes to `size` x `size` (Pillow BILINEAR) and copies the pixels into `pixels`. (A gray
    /// image bound for RGB is resized first and widened after: the same bytes, less work.)
    func produce(path: String, relativeName: String, index: Int, digests: RawImageDigests,
                 into pixels: UnsafeMutableBufferPointer<UInt8>,
                 decode: (Data) throws(ImageCodecError) -> Image) throws(RawImageError) {
        // Opened through RawInputFile, so a FIFO, device or folder is refused instead of blocking; the mapping
        // is wrapped without a copy and outlives every use of `data` below.
        let mapping: MappedFile
        do {
            mapping = try RawInputFile(path: path).mappedWhole()
        } catch RawInputFileError.cannotOpen(_, let reason) where FileManager.default.fileExists(atPath: path) {
            throw .unreadable(file: relativeName, reason: reason == "not a regular file" ? reason : "cannot be read")
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "file not found"
            throw .unreadable(file: relativeName, reason: reason)
        }
        defer { withExtendedLifetime(mapping) {} }
        let data = mapping.withUnsafeBytes { bytes in
            bytes.baseAddress.map { Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0), count: bytes.count, deallocator: .none) }
                ?? Data()
        }
        digests.record(index: index, sha256: Checksums.sha256(of: data), byteCount: data.count)
        let decoded: Image
        do {
            decoded = try decode(data)
        } catch {
            throw .undecodable(file: relativeName, reason: error.description)
        }
        // Widening gray to RGB replicates the sample, which commutes with the resize (each channel is resampled
        // alone, with the same weights and pass order): resizing the one channel first gives the same bytes for a
        // third of the work. Narrowing RGB to gray (luma) does not commute, so it runs first.
        let image = decoded.channels < channels
            ? decoded.resized(height: size, width: size).converted(toChannels: channels)
            : decoded.converted(toChannels: channels).resized(height: size, width: size)
        precondition(image.sampleCount == pixels.count, "slot holds \(pixels.count) bytes, image \(image.sampleCount)")
        image.withUnsafePixels { source in _ = pixels.initialize(fromContentsOf: source) }
    }
}
