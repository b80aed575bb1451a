import Foundation
import Safetensors
import Testing

@Suite("Safetensors reader validation")
struct ValidationTests {
    /// Opens `bytes` as a file called `bad.safetensors` and returns the error thrown (nil if none).
    private func openError(_ bytes: [UInt8]) throws -> SafetensorsError? {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.file("bad.safetensors")
        try CraftedFile.write(bytes, to: url)
        do {
            _ = try SafetensorsFile(contentsOf: url)
            return nil
        } catch {
            #expect(error.description.contains("bad.safetensors"), "error must name the file: \(error)")
            return error
        }
    }

    private func header(_ tensors: String, metadata: String? = nil) -> String {
        "{" + (metadata.map { #""__metadata__":\#($0)"# + (tensors.isEmpty ? "" : ",") } ?? "") + tensors + "}"
    }

    @Test("a valid crafted file opens (control case)")
    func validControl() throws {
        let bytes = CraftedFile.bytes(header: header(#""a":{"dtype":"U8","shape":[2,2],"data_offsets":[0,4]}"#,
                                                     metadata: #"{"k":"v"}"#), dataByteCount: 4)
        #expect(try openError(bytes) == nil)
    }

    @Test("truncated files and oversized headers")
    func truncation() throws {
        guard case .truncated = try openError([1, 2, 3]) else { Issue.record("short file"); return }
        var bytes = CraftedFile.bytes(header: header(""), dataByteCount: 0)
        bytes[0] = 200
        guard case .truncated = try openError(bytes) else { Issue.record("header past end"); return }
        bytes.replaceSubrange(0..<8, with: [0x01, 0xE1, 0xF5, 0x05, 0, 0, 0, 0])  // 100,000,001
        guard case .headerTooLarge(_, 100_000_001) = try openError(bytes) else { Issue.record("too large"); return }
        bytes.replaceSubrange(0..<8, with: [UInt8](repeating: 0xFF, count: 8))
        guard case .headerTooLarge = try openError(bytes) else { Issue.record("UInt64.max"); return }
    }

    @Test("JSON and metadata problems")
    func jsonAndMetadata() throws {
        let cases: [(String, String)] = [
            ("not json", "invalidHeader"),
            ("[1,2]", "invalidHeader"),
            (#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}"#, "invalidHeader"),
            (header("", metadata: #"{"k":1}"#), "invalidMetadata"),
            (header("", metadata: #""text""#), "invalidMetadata"),
            (header(#""a":{"dtype":"U8","shape":[1]}"#), "invalidTensorEntry"),
            (header(#""a":{"dtype":"U8","shape":[1.5],"data_offsets":[0,1]}"#), "invalidTensorEntry"),
            (header(#""a":{"dtype":"U8","shape":"1","data_offsets":[0,1]}"#), "invalidTensorEntry"),
            (header(#""a":7"#), "invalidTensorEntry"),
        ]
        for (text, expected) in cases {
            let error = try openError(CraftedFile.bytes(header: text, dataByteCount: 1))
            #expect(error.map { "\($0)".hasPrefix(expected) || caseName($0) == expected } == true,
                    "\(text): expected \(expected), got \(String(describing: error))")
        }
    }

    @Test("tensor entries: dtype, shape, offsets, tiling")
    func tensorEntries() throws {
        let cases: [(String, Int, String)] = [
            (#""a":{"dtype":"Q8","shape":[1],"data_offsets":[0,1]}"#, 1, "unknownDType"),
            (#""a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}"#, 4, "sizeMismatch"),
            (#""a":{"dtype":"U8","shape":[-1],"data_offsets":[0,0]}"#, 0, "invalidTensorEntry"),
            (#""a":{"dtype":"U8","shape":[4611686018427387904,4],"data_offsets":[0,0]}"#, 0, "invalidTensorEntry"),
            (#""a":{"dtype":"U8","shape":[4],"data_offsets":[0,4,8]}"#, 8, "invalidTensorEntry"),
            (#""a":{"dtype":"U8","shape":[0],"data_offsets":[4,0]}"#, 4, "invalidTensorEntry"),
            (#""a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}"#, 3, "offsetsOutOfRange"),
            (#""a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}"#,
             6, "notContiguous"),
            (#""a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[5,9]}"#,
             9, "notContiguous"),
            (#""a":{"dtype":"U8","shape":[4],"data_offsets":[1,5]}"#, 5, "notContiguous"),
            (#""a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}"#, 5, "trailingBytes"),
        ]
        for (tensors, dataByteCount, expected) in cases {
            let error = try openError(CraftedFile.bytes(header: header(tensors), dataByteCount: dataByteCount))
            #expect(error.map(caseName) == expected, "\(tensors): expected \(expected), got \(String(describing: error))")
            if let error, expected != "trailingBytes" {
                #expect(error.description.contains("'a'") || error.description.contains("'b'"),
                        "error must name the tensor: \(error)")
            }
        }
    }

    @Test("header length over 100 MB is rejected without allocating it (64 GiB sparse file)")
    func hugeHeaderNotAllocated() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.file("huge.safetensors")
        let headerLength: UInt64 = 1 << 36
        try Data((0..<8).map { UInt8(truncatingIfNeeded: headerLength >> (8 * UInt64($0))) }).write(to: url)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 8 + headerLength)
        try handle.close()
        do {
            _ = try SafetensorsFile(contentsOf: url)
            Issue.record("expected headerTooLarge")
        } catch {
            #expect(error == .headerTooLarge(path: url.path, headerByteCount: headerLength))
        }
    }

    @Test("missing files and folders are cannotOpen")
    func cannotOpen() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(contentsOf: folder.file("absent.safetensors")) }
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(contentsOf: folder.url) }
    }

    private func caseName(_ error: SafetensorsError) -> String {
        String(String(describing: Mirror(reflecting: error).children.first?.label ?? "\(error)"))
    }
}
