/// One member of a ZIP archive, from its central-directory entry (ZIP64 extras applied).
public struct ZipMember: Sendable, Equatable {
    public enum Method: Sendable, Equatable { case stored, deflated }
    public let name: String
    public let method: Method
    public let compressedSize: Int
    public let uncompressedSize: Int
    public let crc32: UInt32
    /// Offset of the member's local header.
    public let localHeaderOffset: Int
}

/// A ZIP archive's central directory (PKWARE APPNOTE 6.3): STORED and DEFLATE members, ZIP64 end records and
/// extras. Members are read as streams (`openMember`), never loaded whole.
public struct ZipArchive: Sendable {
    public let file: RawInputFile
    public let members: [ZipMember]

    public init(path: String) throws {
        try self.init(file: try RawInputFile(path: path))
    }

    public init(file: RawInputFile) throws {
        self.file = file
        let path = file.path
        let tailLength = min(file.size, 22 + 65_535)
        guard tailLength >= 22 else { throw ZipError.notZip(file: path) }
        let tailStart = file.size - tailLength
        let tail = try file.readBytes(at: tailStart, count: tailLength, context: "the ZIP end record")
        guard let endIndex = Self.lastSignature(0x0605_4B50, in: tail, searchingBackFrom: tailLength - 22) else {
            throw ZipError.notZip(file: path)
        }
        var entryCount = Int(Self.u16(tail, endIndex + 10))
        var directorySize = Int(Self.u32(tail, endIndex + 12))
        var directoryOffset = Int(Self.u32(tail, endIndex + 16))
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            let locatorOffset = tailStart + endIndex - 20
            guard locatorOffset >= 0 else { throw ZipError.badDirectory(file: path, detail: "ZIP64 locator missing") }
            let locator = try file.readBytes(at: locatorOffset, count: 20, context: "the ZIP64 locator")
            guard Self.u32(locator, 0) == 0x0706_4B50 else {
                throw ZipError.badDirectory(file: path, detail: "ZIP64 locator missing")
            }
            let recordOffset = Int(clamping: Self.u64(locator, 8))
            guard recordOffset >= 0, recordOffset <= file.size - 56 else {
                throw ZipError.badDirectory(file: path, detail: "ZIP64 end record outside the file")
            }
            let record = try file.readBytes(at: recordOffset, count: 56, context: "the ZIP64 end record")
            guard Self.u32(record, 0) == 0x0606_4B50 else {
                throw ZipError.badDirectory(file: path, detail: "ZIP64 end record signature")
            }
            entryCount = Int(clamping: Self.u64(record, 32))
            directorySize = Int(clamping: Self.u64(record, 40))
            directoryOffset = Int(clamping: Self.u64(record, 48))
        }
        guard directoryOffset >= 0, directorySize >= 0, directoryOffset + directorySize <= file.size,
              entryCount <= directorySize / 46 else {
            throw ZipError.badDirectory(file: path, detail: "central directory outside the file")
        }
        let directory = try file.readBytes(at: directoryOffset, count: directorySize, context: "the ZIP central directory")
        var members: [ZipMember] = []
        var cursor = 0
        for _ in 0..<entryCount {
            members.append(try Self.parseEntry(directory, at: &cursor, path: path, fileSize: file.size))
        }
        self.members = members
    }

    /// The member called `name`, or a `ZipError.missingMember` listing what is there.
    public func member(named name: String) throws -> ZipMember {
        guard let member = members.first(where: { $0.name == name }) else {
            throw ZipError.missingMember(file: file.path, member: name, present: members.map(\.name))
        }
        return member
    }

    /// A stream of `member`'s uncompressed bytes; size and CRC-32 are checked at its end.
    public func openMember(_ member: ZipMember) throws -> any ByteSource {
        let origin = "\(file.path):\(member.name)"
        let data = try dataRange(of: member)
        let range = FileRangeSource(file: file, offset: data.lowerBound, length: data.count, origin: origin)
        switch member.method {
        case .deflated:
            return try InflateSource(range, format: .rawDeflate, origin: origin,
                                     expectedSize: member.uncompressedSize, expectedCRC32: member.crc32)
        case .stored:
            return CRC32CheckedSource(range, expectedCRC32: member.crc32)
        }
    }

    /// Where `member`'s stored or compressed bytes lie in the file (after its local header); throws if the local
    /// header is damaged or the data passes the end of the file.
    public func dataRange(of member: ZipMember) throws -> Range<Int> {
        let local = try file.readBytes(at: member.localHeaderOffset, count: 30, context: "\(member.name)'s local header")
        guard Self.u32(local, 0) == 0x0403_4B50 else {
            throw ZipError.badDirectory(file: file.path, detail: "\(member.name)'s local header signature")
        }
        let dataOffset = member.localHeaderOffset + 30 + Int(Self.u16(local, 26)) + Int(Self.u16(local, 28))
        guard dataOffset + member.compressedSize <= file.size else {
            throw TruncatedInputError(origin: "\(file.path):\(member.name)", context: "the member's data")
        }
        return dataOffset..<(dataOffset + member.compressedSize)
    }

    private static func parseEntry(_ directory: [UInt8], at cursor: inout Int, path: String, fileSize: Int) throws -> ZipMember {
        guard cursor + 46 <= directory.count, u32(directory, cursor) == 0x0201_4B50 else {
            throw ZipError.badDirectory(file: path, detail: "entry signature at directory byte \(cursor)")
        }
        let flags = u16(directory, cursor + 8)
        let methodCode = u16(directory, cursor + 10)
        let crc = u32(directory, cursor + 16)
        var compressed = UInt64(u32(directory, cursor + 20))
        var uncompressed = UInt64(u32(directory, cursor + 24))
        let nameLength = Int(u16(directory, cursor + 28))
        let extraLength = Int(u16(directory, cursor + 30))
        let commentLength = Int(u16(directory, cursor + 32))
        var localOffset = UInt64(u32(directory, cursor + 42))
        let nameStart = cursor + 46
        let extraStart = nameStart + nameLength
        let next = extraStart + extraLength + commentLength
        guard next <= directory.count else { throw ZipError.badDirectory(file: path, detail: "entry runs past the directory") }
        let name = String(decoding: directory[nameStart..<extraStart], as: UTF8.self)
        var extra = extraStart
        while extra + 4 <= extraStart + extraLength {
            let id = u16(directory, extra)
            let size = Int(u16(directory, extra + 2))
            var field = extra + 4
            if id == 0x0001 {
                for slot in 0..<3 {
                    let current = [uncompressed, compressed, localOffset][slot]
                    guard current == 0xFFFF_FFFF, field + 8 <= extra + 4 + size else { continue }
                    let value = u64(directory, field)
                    field += 8
                    switch slot {
                    case 0: uncompressed = value
                    case 1: compressed = value
                    default: localOffset = value
                    }
                }
            }
            extra += 4 + size
        }
        cursor = next
        guard flags & 1 == 0 else { throw ZipError.unsupportedMember(file: path, member: name, detail: "encryption") }
        let method: ZipMember.Method
        switch methodCode {
        case 0: method = .stored
        case 8: method = .deflated
        default: throw ZipError.unsupportedMember(file: path, member: name, detail: "compression method \(methodCode)")
        }
        guard compressed <= UInt64(fileSize), localOffset < UInt64(fileSize), uncompressed < UInt64(Int.max / 2),
              method == .deflated || compressed == uncompressed else {
            throw ZipError.badDirectory(file: path, detail: "\(name)'s sizes or offset lie outside the file")
        }
        return ZipMember(name: name, method: method, compressedSize: Int(compressed),
                         uncompressedSize: Int(uncompressed), crc32: crc, localHeaderOffset: Int(localOffset))
    }

    private static func lastSignature(_ signature: UInt32, in bytes: [UInt8], searchingBackFrom start: Int) -> Int? {
        var index = start
        while index >= 0 {
            if u32(bytes, index) == signature { return index }
            index -= 1
        }
        return nil
    }

    static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 { UInt32(u16(bytes, at)) | UInt32(u16(bytes, at + 2)) << 16 }
    static func u64(_ bytes: [UInt8], _ at: Int) -> UInt64 { UInt64(u32(bytes, at)) | UInt64(u32(bytes, at + 4)) << 32 }
}
