/// Errors from reading a tar archive.
public enum TarError: Error, CustomStringConvertible, Equatable {
    case badHeader(origin: String, offset: Int, detail: String)

    public var description: String {
        switch self {
        case let .badHeader(origin, offset, detail):
            return "\(origin): the tar header at byte \(offset) is invalid (\(detail)); the archive is damaged - fetch it again"
        }
    }
}

/// One member of a tar archive, as its header describes it.
public struct TarEntry: Sendable, Equatable {
    /// The kind of a member (only regular files carry data the readers use).
    public enum Kind: Sendable, Equatable { case regularFile, directory, other(UInt8) }
    /// The full path inside the archive (ustar prefix, PAX `path` and GNU long names applied).
    public let path: String
    /// The size of the member's data in bytes.
    public let size: Int
    public let kind: Kind
}

/// A forward-only reader of POSIX ustar / PAX / GNU tar streams (as written by GNU tar and Python's tarfile).
///
/// Call `nextEntry()`, then optionally read the entry's data with `read(into:)` (a `ByteSource` over the current
/// entry); whatever is not read is skipped by the next `nextEntry()`. Memory: one 512-byte header block.
public struct TarReader<Upstream: ByteSource>: ByteSource {
    public let origin: String
    private var upstream: Upstream
    private var remainingInEntry = 0
    private var paddingAfterEntry = 0
    private var offset = 0

    public init(_ upstream: Upstream) {
        self.upstream = upstream
        origin = upstream.origin
    }

    /// Reads from the current entry's data; 0 at the end of the entry.
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let wanted = min(buffer.count, remainingInEntry)
        guard wanted > 0 else { return 0 }
        let got = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]))
        if got == 0 { throw TruncatedInputError(origin: origin, context: "a tar member's data") }
        remainingInEntry -= got
        offset += got
        return got
    }

    /// Skips the rest of the current entry and returns the next one, or nil at the end of the archive.
    public mutating func nextEntry() throws -> TarEntry? {
        var longPath: String?
        while true {
            try upstream.skip(remainingInEntry + paddingAfterEntry, context: "a tar member's data")
            offset += remainingInEntry + paddingAfterEntry
            remainingInEntry = 0
            paddingAfterEntry = 0
            let headerOffset = offset
            var header = [UInt8](repeating: 0, count: 512)
            let got = try header.withUnsafeMutableBytes { try readUpTo(into: $0) }
            if got == 0 { return nil }
            guard got == 512 else { throw TruncatedInputError(origin: origin, context: "a tar header") }
            offset += 512
            if header.allSatisfy({ $0 == 0 }) { return nil }
            try verifyChecksum(header, at: headerOffset)
            let size = try parseSize(header, at: headerOffset)
            let type = header[156]
            remainingInEntry = size
            paddingAfterEntry = (512 - size % 512) % 512
            switch type {
            case UInt8(ascii: "x"):
                let records = try readBytes(size, context: "a PAX header")
                longPath = Self.paxPath(records) ?? longPath
            case UInt8(ascii: "g"):
                continue
            case UInt8(ascii: "L"):
                let name = try readBytes(size, context: "a GNU long name")
                longPath = Self.cString(name[...])
            default:
                let name = Self.cString(header[0..<100])
                let magic = Self.cString(header[257..<263])
                let prefix = magic.hasPrefix("ustar") && header[263] == UInt8(ascii: "0") ? Self.cString(header[345..<500]) : ""
                let path = longPath ?? (prefix.isEmpty ? name : prefix + "/" + name)
                let kind: TarEntry.Kind = switch type {
                case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): .regularFile
                case UInt8(ascii: "5"): .directory
                default: .other(type)
                }
                return TarEntry(path: path, size: size, kind: kind)
            }
        }
    }

    private mutating func readUpTo(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let got = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if got == 0 { break }
            filled += got
        }
        return filled
    }

    private func verifyChecksum(_ header: [UInt8], at headerOffset: Int) throws {
        var sum = 0
        for (index, byte) in header.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
        guard let stored = Self.octal(header[148..<156]), stored == sum else {
            throw TarError.badHeader(origin: origin, offset: headerOffset, detail: "header checksum mismatch")
        }
    }

    private func parseSize(_ header: [UInt8], at headerOffset: Int) throws -> Int {
        let field = header[124..<136]
        if let first = field.first, first & 0x80 != 0 {
            // GNU base-256: big-endian two's complement in the remaining bytes.
            var value = 0
            for byte in field.dropFirst() {
                guard value < (Int.max >> 8) else { break }
                value = (value << 8) | Int(byte)
            }
            return value
        }
        guard let size = Self.octal(field) else {
            throw TarError.badHeader(origin: origin, offset: headerOffset, detail: "unreadable size field")
        }
        return size
    }

    private static func octal(_ field: ArraySlice<UInt8>) -> Int? {
        var value = 0
        var sawDigit = false
        for byte in field {
            if byte == 0 || byte == 32 { if sawDigit { break } else { continue } }
            guard (48...55).contains(byte), value < (Int.max >> 3) else { return nil }
            value = value * 8 + Int(byte - 48)
            sawDigit = true
        }
        return sawDigit ? value : nil
    }

    private static func cString(_ bytes: ArraySlice<UInt8>) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
        return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
    }

    /// The `path` value of PAX extended-header records (`"<length> path=<value>\n"`).
    private static func paxPath(_ records: [UInt8]) -> String? {
        var index = 0
        var path: String?
        while index < records.count {
            guard let space = records[index...].firstIndex(of: 32),
                  let length = Int(String(decoding: records[index..<space], as: UTF8.self)),
                  length > 0, index + length <= records.count else { break }
            let record = records[(space + 1)..<(index + length - 1)]
            if let equals = record.firstIndex(of: UInt8(ascii: "=")),
               String(decoding: record[record.startIndex..<equals], as: UTF8.self) == "path" {
                path = String(decoding: record[(equals + 1)...], as: UTF8.self)
            }
            index += length
        }
        return path
    }
}
