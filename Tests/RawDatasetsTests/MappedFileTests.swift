import Foundation
import RawDatasets
import Testing

@Suite("Mapped raw files")
struct MappedFileTests {
    @Test("a mapped file holds the file's bytes; an empty file maps to no bytes; a missing one is named")
    func mapping() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let contents = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let path = folder.appendingPathComponent("data.bin").path
        try Data(contents).write(to: URL(fileURLWithPath: path))
        let mapped = try MappedFile(path: path)
        #expect(mapped.count == contents.count)
        #expect(mapped.withUnsafeBytes { Array($0) } == contents)
        let empty = folder.appendingPathComponent("empty.bin").path
        try Data().write(to: URL(fileURLWithPath: empty))
        #expect(try MappedFile(path: empty).withUnsafeBytes { $0.isEmpty })
        let missing = folder.appendingPathComponent("missing.bin").path
        let error = #expect(throws: RawInputFileError.self) { try MappedFile(path: missing) }
        #expect(error?.description.contains("missing.bin") == true)
        #expect(throws: RawInputFileError.self) { try MappedFile(path: folder.path) }
    }
}
