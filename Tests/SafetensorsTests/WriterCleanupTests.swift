import Foundation
import Safetensors
import SeededRandom
import Testing

@Suite("SafetensorsWriter temporaries and large streams")
struct WriterCleanupTests {
    @Test("cancel and deinit without finish leave the folder empty")
    func cancelAndDeinit() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let writer = SafetensorsWriter(destination: folder.file("a.safetensors"))
        try writer.declare("x", dtype: .float32, rowShape: [3])
        try writer.append("x", rows: [Float](repeating: 1, count: 30))
        #expect(try folder.contents().isEmpty, "spill files have no name while writing")
        writer.cancel()
        writer.cancel()
        #expect(try folder.contents().isEmpty)

        do {
            let abandoned = SafetensorsWriter(destination: folder.file("b.safetensors"))
            try abandoned.declare("x", dtype: .uint8, rowShape: [2])
            try abandoned.declare("y", dtype: .int64, rowShape: [])
            try abandoned.append("x", rows: [UInt8](repeating: 1, count: 10))
        }
        #expect(try folder.contents().isEmpty)
    }

    @Test("a failed finish leaves neither a destination nor temporaries")
    func failedFinish() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let destination = folder.file("taken")
        try FileManager.default.createDirectory(at: destination.appendingPathComponent("child"),
                                                withIntermediateDirectories: true)
        let writer = SafetensorsWriter(destination: destination)
        try writer.declare("x", dtype: .uint8, rowShape: [1])
        try writer.append("x", rows: [UInt8(7)])
        #expect(throws: SafetensorsError.self) { try writer.finish() }
        #expect(try folder.contents() == ["taken"])
    }

    @Test("finish replaces an existing file; tensors with no rows have shape [0, ...]")
    func replaceAndNoRows() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.file("out.safetensors")
        try Data("old".utf8).write(to: url)
        let writer = SafetensorsWriter(destination: url, metadata: ["client": "3"])
        try writer.declare("images", dtype: .uint8, rowShape: [2, 2, 1])
        try writer.declare("zero", dtype: .float32, rowShape: [0])
        writer.appendEmptyRows("zero", count: 4)
        let size = try writer.finish()
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.fileByteCount == size)
        #expect(try file.info("images").shape == [0, 2, 2, 1])
        #expect(try file.info("zero").shape == [4, 0])
        #expect(try folder.contents() == ["out.safetensors"])
    }

    @Test("20 MB streamed in uneven pieces, larger and smaller than the 4 MiB buffer, reads back exactly")
    func largeStream() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.file("large.safetensors")
        let rowBytes = 224 * 224 * 3
        let writer = SafetensorsWriter(destination: url)
        try writer.declare("images", dtype: .uint8, rowShape: [224, 224, 3])
        try writer.declare("index", dtype: .int64, rowShape: [])
        var generator = Xoshiro256StarStar(seed: 99, stream: "large-stream")
        var expectedRows = [[UInt8]]()
        var written = 0
        while written < 134 {
            let count = [1, 3, 40][generator.uniformInt(3)]
            var chunk = [UInt8](repeating: 0, count: count * rowBytes)
            for row in 0..<count {
                let value = UInt8(truncatingIfNeeded: generator.next())
                for offset in stride(from: row * rowBytes, to: (row + 1) * rowBytes, by: 997) { chunk[offset] = value }
                expectedRows.append(Array(chunk[(row * rowBytes)..<((row + 1) * rowBytes)]))
            }
            try chunk.withUnsafeBytes { try writer.append("images", rows: $0) }
            try writer.append("index", rows: (written..<(written + count)).map(Int64.init))
            written += count
        }
        try writer.finish()
        let file = try SafetensorsFile(contentsOf: url)
        #expect(try file.info("images").shape == [written, 224, 224, 3])
        #expect(try file.array(of: Int64.self, "index") == (0..<written).map(Int64.init))
        for row in [0, 1, 57, written - 1] {
            #expect(try file.rows("images", row..<(row + 1), as: UInt8.self) == expectedRows[row], "row \(row)")
        }
        #expect(try folder.contents() == ["large.safetensors"])
    }
}
