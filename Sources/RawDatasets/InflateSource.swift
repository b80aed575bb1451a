import CZlib

/// Errors from decompressing a gzip file or a ZIP member.
public enum InflateError: Error, CustomStringConvertible, Equatable {
    /// zlib refused the data (bad header, bad block, bad checksum): the file is damaged.
    case corrupt(origin: String, detail: String)
    /// The stream ended before its end-of-stream marker.
    case truncated(origin: String)
    /// A ZIP member inflated to a different size or CRC-32 than its directory entry promises.
    case integrity(origin: String, detail: String)

    public var description: String {
        switch self {
        case let .corrupt(origin, detail):
            return "\(origin): the compressed data is corrupt (\(detail)); the file is damaged - fetch it again"
        case let .truncated(origin):
            return "\(origin): the compressed data ends early; the download is probably incomplete - fetch it again"
        case let .integrity(origin, detail):
            return "\(origin): \(detail); the file is damaged - fetch it again"
        }
    }
}

/// Streaming zlib inflation of another `ByteSource`: gzip (RFC 1952, concatenated members allowed) or raw
/// DEFLATE (RFC 1951, as in ZIP members). Memory: one 256 KiB input buffer plus zlib's 32 KiB window.
///
/// With `expectedSize`/`expectedCRC32` (ZIP), the end of the stream checks both and throws
/// `InflateError.integrity` on a mismatch.
public final class InflateSource<Upstream: ByteSource>: ByteSource {
    /// The container format of the compressed stream.
    public enum Format: Sendable { case gzip, rawDeflate }

    public let origin: String
    private var upstream: Upstream
    private let format: Format
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var upstreamEnded = false
    private var finished = false
    private let expectedSize: Int?
    private let expectedCRC32: UInt32?
    private var producedCount = 0
    private var runningCRC32: UInt = 0

    public init(_ upstream: Upstream, format: Format, origin: String? = nil,
                expectedSize: Int? = nil, expectedCRC32: UInt32? = nil) throws {
        self.upstream = upstream
        self.format = format
        self.origin = origin ?? upstream.origin
        self.expectedSize = expectedSize
        self.expectedCRC32 = expectedCRC32
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
        let windowBits: Int32 = format == .gzip ? 15 + 16 : -15
        let status = inflateInit2_(stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            input.deallocate()
            stream.deallocate()
            throw InflateError.corrupt(origin: self.origin, detail: "zlib could not start (status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    /// Bytes produced so far.
    public var producedByteCount: Int { producedCount }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, buffer.count > 0, let outputBase = buffer.baseAddress else { return 0 }
        stream.pointee.next_out = outputBase.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
        let capacity = Int(stream.pointee.avail_out)
        while stream.pointee.avail_out == UInt32(capacity) {
            if stream.pointee.avail_in == 0 && !upstreamEnded {
                let got = try upstream.read(into: input)
                if got == 0 {
                    upstreamEnded = true
                } else {
                    stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_in = UInt32(got)
                }
            }
            let status = inflate(stream, Z_NO_FLUSH)
            if status == Z_STREAM_END {
                if try startNextGzipMember() { continue }
                finished = true
                break
            }
            if status == Z_BUF_ERROR && stream.pointee.avail_in == 0 && upstreamEnded {
                throw InflateError.truncated(origin: origin)
            }
            if status != Z_OK && status != Z_BUF_ERROR {
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw InflateError.corrupt(origin: origin, detail: detail)
            }
        }
        let produced = capacity - Int(stream.pointee.avail_out)
        producedCount += produced
        if expectedCRC32 != nil {
            runningCRC32 = crc32(runningCRC32, outputBase.assumingMemoryBound(to: Bytef.self), UInt32(produced))
        }
        if let expectedSize, producedCount > expectedSize {
            throw InflateError.integrity(origin: origin,
                                         detail: "inflates to more than the \(expectedSize) bytes its directory entry declares")
        }
        if finished { try checkIntegrity() }
        return produced
    }

    /// After a gzip member ends: if more input follows (a multi-member gzip), reset and continue.
    private func startNextGzipMember() throws -> Bool {
        guard format == .gzip else { return false }
        if stream.pointee.avail_in == 0 && !upstreamEnded {
            let got = try upstream.read(into: input)
            if got == 0 { upstreamEnded = true } else {
                stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_in = UInt32(got)
            }
        }
        guard stream.pointee.avail_in > 0 else { return false }
        inflateReset(stream)
        return true
    }

    private func checkIntegrity() throws {
        if let expectedSize, producedCount != expectedSize {
            throw InflateError.integrity(origin: origin,
                                         detail: "inflates to \(producedCount) bytes, its directory entry declares \(expectedSize)")
        }
        if let expectedCRC32, UInt32(truncatingIfNeeded: runningCRC32) != expectedCRC32 {
            throw InflateError.integrity(origin: origin, detail: "CRC-32 mismatch after inflating")
        }
    }
}
