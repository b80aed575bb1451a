/// A `ByteSource` over bytes already in memory (tests, small members).
public struct MemoryByteSource: ByteSource {
    public let origin: String
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8], origin: String = "memory") {
        self.bytes = bytes
        self.origin = origin
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes[position..<(position + count)].withUnsafeBytes { buffer.copyMemory(from: $0) }
        position += count
        return count
    }
}
