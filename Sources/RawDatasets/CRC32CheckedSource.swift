import CZlib

/// Passes another stream through, checking its CRC-32 when it ends (for STORED ZIP members).
public struct CRC32CheckedSource<Upstream: ByteSource>: ByteSource {
    public var origin: String { upstream.origin }
    private var upstream: Upstream
    private let expectedCRC32: UInt32
    private var running: UInt = 0

    public init(_ upstream: Upstream, expectedCRC32: UInt32) {
        self.upstream = upstream
        self.expectedCRC32 = expectedCRC32
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let got = try upstream.read(into: buffer)
        if got > 0, let base = buffer.baseAddress {
            running = crc32(running, base.assumingMemoryBound(to: Bytef.self), UInt32(got))
        } else if got == 0, buffer.count > 0, UInt32(truncatingIfNeeded: running) != expectedCRC32 {
            throw InflateError.integrity(origin: origin, detail: "CRC-32 mismatch")
        }
        return got
    }
}
