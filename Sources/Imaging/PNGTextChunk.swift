import CZlib

/// A PNG `tEXt` chunk (keyword, NUL, Latin-1 text; PNG spec 11.3.4.3), used to mark files a FedNC tool wrote so a
/// later run can tell its own figure from any other PNG before replacing it.
public struct PNGTextChunk: Sendable, Equatable {
    /// 1-79 printable Latin-1 characters, e.g. `Software`.
    public var keyword: String
    /// Latin-1 text without NUL.
    public var text: String

    public init(keyword: String, text: String) {
        precondition((1...79).contains(keyword.utf8.count) && keyword.unicodeScalars.allSatisfy { (32...126).contains($0.value) },
                     "PNG tEXt keyword must be 1-79 printable ASCII characters")
        precondition(text.unicodeScalars.allSatisfy { (32...126).contains($0.value) }, "tEXt text here is printable ASCII")
        self.keyword = keyword
        self.text = text
    }

    /// PNG's eight signature bytes.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Bytes from the file start to the end of the IHDR chunk (signature 8 + length 4 + type 4 + data 13 + CRC 4).
    static let headerLength = 33

    /// The chunk as it is stored: length (4 bytes, big-endian), `tEXt`, data, CRC-32 of type and data.
    public var encoded: [UInt8] {
        let data = Array(keyword.utf8) + [0] + Array(text.utf8)
        let typeAndData = Array("tEXt".utf8) + data
        let crc = typeAndData.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
        return Self.bigEndian(UInt32(data.count)) + typeAndData + Self.bigEndian(crc)
    }

    /// `png` with this chunk inserted right after IHDR (where `firstChunk(in:)` looks). `png` must be a PNG as
    /// `PNGEncoder` writes it (signature, then IHDR).
    public func inserted(into png: [UInt8]) -> [UInt8] {
        precondition(png.count > Self.headerLength && Self.startsWithHeader(png), "not a PNG that starts with IHDR")
        return Array(png[..<Self.headerLength]) + encoded + Array(png[Self.headerLength...])
    }

    /// Whether `head` (the first bytes of a file; `encoded.count + 33` suffice) is a PNG whose first chunk after
    /// IHDR is exactly this one, CRC included.
    public func isFirstChunk(in head: [UInt8]) -> Bool {
        let chunk = encoded
        guard head.count >= Self.headerLength + chunk.count, Self.startsWithHeader(head) else { return false }
        return Array(head[Self.headerLength..<(Self.headerLength + chunk.count)]) == chunk
    }

    /// Signature, then a 13-byte IHDR.
    private static func startsWithHeader(_ bytes: [UInt8]) -> Bool {
        bytes.count >= headerLength && Array(bytes.prefix(8)) == signature
            && Array(bytes[8..<16]) == [0, 0, 0, 13] + Array("IHDR".utf8)
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
