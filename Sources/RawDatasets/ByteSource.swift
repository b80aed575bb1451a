#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forward-only stream of bytes (a file range, an inflated member, a tar entry).
///
/// `read(into:)` fills as much of `buffer` as it can and returns the count; 0 means the end of the stream.
/// Readers never hold more than one caller-sized buffer, so memory does not scale with the stream's length.
public protocol ByteSource {
    /// The file (or member, as `archive.npz:train_images.npy`) this stream comes from, for error messages.
    var origin: String { get }
    /// Reads up to `buffer.count` bytes; returns 0 only at the end of the stream.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// The error a stream reports when it ends before the bytes a format promises.
public struct TruncatedInputError: Error, CustomStringConvertible, Equatable {
    /// The file or member that ended early.
    public let origin: String
    /// What the reader was reading when the stream ended.
    public let context: String
    public var description: String {
        "\(origin): the file ends early while reading \(context); the download is probably incomplete - fetch it again"
    }
}

extension ByteSource {
    /// Reads exactly `buffer.count` bytes or throws `TruncatedInputError` naming `context`.
    public mutating func readExactly(into buffer: UnsafeMutableRawBufferPointer, context: String) throws {
        var filled = 0
        while filled < buffer.count {
            let got = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if got == 0 { throw TruncatedInputError(origin: origin, context: context) }
            filled += got
        }
    }

    /// Reads exactly `count` bytes into a new array.
    public mutating func readBytes(_ count: Int, context: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        try bytes.withUnsafeMutableBytes { try readExactly(into: $0, context: context) }
        return bytes
    }

    /// Reads and discards `count` bytes (through a 64 KiB scratch buffer).
    public mutating func skip(_ count: Int, context: String) throws {
        var remaining = count
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { scratch.deallocate() }
        while remaining > 0 {
            let chunk = UnsafeMutableRawBufferPointer(rebasing: scratch[0..<min(remaining, scratch.count)])
            try readExactly(into: chunk, context: context)
            remaining -= chunk.count
        }
    }

    /// Reads to the end of the stream and returns how many bytes there were.
    public mutating func drain() throws -> Int {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { scratch.deallocate() }
        var total = 0
        while true {
            let got = try read(into: scratch)
            if got == 0 { return total }
            total += got
        }
    }
}
