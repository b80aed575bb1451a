import Foundation
import Safetensors
import SeededRandom
import Testing

@Suite("Safetensors round trip")
struct RoundTripTests {
    @Test("streaming writer: images, labels, sources read back row by row")
    func streamingRoundTrip() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.file("train.safetensors")
        let writer = SafetensorsWriter(destination: url, metadata: ["split": "train", "dataset": "demo"])
        try writer.declare("images", dtype: .uint8, rowShape: [4, 4, 3])
        try writer.declare("labels", dtype: .uint8, rowShape: [5])
        try writer.declare("sources", dtype: .int64, rowShape: [2])
        var generator = Xoshiro256StarStar(seed: 7, stream: "roundtrip")
        var allImages = [UInt8]()
        var allSources = [Int64]()
        for record in 0..<37 {
            let image = (0..<48).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            allImages += image
            try writer.append("images", rows: image)
            try writer.append("labels", rows: (0..<5).map { UInt8(($0 + record) % 2) })
            let sources: [Int64] = [Int64(record), record % 3 == 0 ? -1 : Int64(record * 2)]
            allSources += sources
            try writer.append("sources", rows: sources)
        }
        #expect(writer.rowCount(of: "images") == 37)
        try writer.finish()
        #expect(try folder.contents() == ["train.safetensors"])

        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.metadata == ["split": "train", "dataset": "demo"])
        #expect(file.tensorNames == ["images", "labels", "sources"])
        #expect(try file.info("images").shape == [37, 4, 4, 3])
        #expect(try file.info("sources").dtype == .int64)
        #expect(try file.array(of: UInt8.self, "images") == allImages)
        #expect(try file.array(of: Int64.self, "sources") == allSources)
        #expect(try file.rows("images", 5..<7, as: UInt8.self) == Array(allImages[(5 * 48)..<(7 * 48)]))
        #expect(throws: SafetensorsError.self) { try file.array(of: Float.self, "images") }
        #expect(throws: SafetensorsError.self) { try file.rows("images", 36..<38, as: UInt8.self) }
        #expect(throws: SafetensorsError.self) { try file.info("difficult") }
        #expect(file.dataStart % 64 == 0)
    }
}
