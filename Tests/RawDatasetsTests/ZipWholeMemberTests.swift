import Foundation
import RawDatasets
import Testing

@Suite("ZIP members extracted whole (libdeflate)")
struct ZipWholeMemberTests {
    /// Every member of `path` extracted whole, checked against the streaming (zlib) reader.
    private func expectWholeEqualsStreamed(_ path: String) throws {
        let zip = try ZipArchive(path: path)
        #expect(!zip.members.isEmpty)
        for member in zip.members {
            var stream = try zip.openMember(member)
            let streamed = try stream.readBytes(member.uncompressedSize, context: member.name)
            var whole = [UInt8](repeating: 0xEE, count: member.uncompressedSize)
            try whole.withUnsafeMutableBytes { try zip.extractWholeMember(member, into: $0) }
            #expect(whole == streamed, "\(member.name)")
        }
    }

    @Test("published BreastMNIST (DEFLATE members): every member equals the streamed bytes")
    func deflatedMembers() throws {
        try expectWholeEqualsStreamed(try fixturePath("breastmnist.npz"))
    }

    @Test("PneumoniaMNIST subset (STORED members): every member equals the streamed bytes")
    func storedMembers() throws {
        try expectWholeEqualsStreamed(try fixturePath("pneumoniamnist_subset_stored.npz"))
    }

    @Test("a corrupt DEFLATE stream is refused naming file and member")
    func corruptStream() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try fixturePath("breastmnist.npz")
        var bytes = try RawInputFile(path: source).readAll()
        let member = try ZipArchive(path: source).member(named: "train_images.npy")
        let dataStart = member.localHeaderOffset + 30 + member.name.utf8.count
        for index in (dataStart + 2000)..<(dataStart + 2400) { bytes[index] ^= 0x5A }
        let path = folder.appendingPathComponent("corrupt.npz").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let zip = try ZipArchive(path: path)
        var output = [UInt8](repeating: 0, count: member.uncompressedSize)
        let error = #expect(throws: InflateError.self) {
            try output.withUnsafeMutableBytes { try zip.extractWholeMember(try zip.member(named: "train_images.npy"), into: $0) }
        }
        #expect(error?.description.contains("corrupt.npz:train_images.npy") == true)
    }

    @Test("a CRC-32 that differs from the directory's is an integrity error naming both values")
    func crcMismatch() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try fixturePath("breastmnist.npz")
        var bytes = try RawInputFile(path: source).readAll()
        let member = try ZipArchive(path: source).member(named: "val_labels.npy")
        let name = Array(member.name.utf8)
        // The central-directory entry: signature PK\1\2, its name at +46, its CRC-32 at +16.
        let signature: [UInt8] = [0x50, 0x4B, 1, 2]
        func isEntry(at offset: Int) -> Bool {
            Array(bytes[offset..<(offset + 4)]) == signature && Array(bytes[(offset + 46)..<(offset + 46 + name.count)]) == name
        }
        let entry = try #require((0..<(bytes.count - 46 - name.count)).first(where: isEntry))
        bytes[entry + 16] ^= 0xFF
        let path = folder.appendingPathComponent("crc.npz").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let zip = try ZipArchive(path: path)
        let damaged = try zip.member(named: "val_labels.npy")
        #expect(damaged.crc32 == member.crc32 ^ 0xFF)
        var output = [UInt8](repeating: 0, count: damaged.uncompressedSize)
        let error = #expect(throws: InflateError.self) {
            try output.withUnsafeMutableBytes { try zip.extractWholeMember(damaged, into: $0) }
        }
        let text = error?.description ?? ""
        #expect(text.contains("crc.npz:val_labels.npy") && text.contains("CRC-32"))
    }

    @Test("a mapped range past the end of the file is refused, naming the file")
    func mappedRangePastTheEnd() throws {
        let file = try RawInputFile(path: try fixturePath("breastmnist.npz"))
        #expect(try file.mapped(offset: 4, count: 4, context: "x").withUnsafeBytes { Array($0) } == Array(try file.readBytes(at: 4, count: 4, context: "x")))
        let error = #expect(throws: TruncatedInputError.self) {
            _ = try file.mapped(offset: file.size - 2, count: 4, context: "the tail")
        }
        #expect(error?.description.contains("breastmnist.npz") == true)
    }
}
