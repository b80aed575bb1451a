import Foundation
import Safetensors
import SeededRandom
import Testing

/// Seeded mutations of a valid file: the reader may throw, but must never crash, and whatever it accepts must
/// be readable end to end.
@Suite("Safetensors mutation fuzz")
struct MutationFuzzTests {
    private static func validFile() throws -> [UInt8] {
        var tensors: [String: TensorData] = [
            "images": TensorData(dtype: .uint8, shape: [3, 2, 2, 3], bytes: (0..<36).map { UInt8($0) }),
            "labels": TensorData(dtype: .uint8, shape: [3, 4], bytes: [1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1]),
            "sources": TensorData([Int64(0), -1, 5, 7, 9, -1], shape: [3, 2]),
            "weights": TensorData([Float](repeating: 0.5, count: 6), shape: [6]),
            "empty": TensorData(dtype: .float64, shape: [0, 2], bytes: []),
        ]
        tensors["scalar"] = TensorData([Int32(3)], shape: [])
        return Safetensors.encode(tensors: tensors, metadata: ["dataset": "fuzz", "split": "train"])
    }

    /// Opens `bytes`; when accepted, reads every tensor fully and row by row. Returns true when accepted.
    private static func exercise(_ bytes: [UInt8], at url: URL) throws -> Bool {
        try CraftedFile.write(bytes, to: url)
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(contentsOf: url)
        } catch {
            #expect(!error.description.isEmpty)
            return false
        }
        for name in file.tensorNames {
            let info = try file.info(name)
            let total = try file.withUnsafeBytes(of: name) { raw in raw.reduce(0) { $0 &+ Int($1) } }
            _ = total
            #expect(try file.tensorData(name).bytes.count == info.byteCount)
            if let rows = info.rowCount, rows > 0 {
                _ = try file.withUnsafeRows(name, (rows - 1)..<rows) { $0.count }
            }
        }
        return true
    }

    @Test("3,000 single-byte changes, 600 truncations, 600 header edits never crash the reader")
    func mutations() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.file("fuzz.safetensors")
        let original = try Self.validFile()
        #expect(try Self.exercise(original, at: url))
        let headerEnd = 8 + original[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        var generator = Xoshiro256StarStar(seed: 20_261_127, stream: "safetensors-fuzz")
        var accepted = 0
        var rejected = 0

        for _ in 0..<3000 {
            var bytes = original
            // Mostly the prefix and header, where the parsing happens; sometimes the data section.
            let position = generator.uniformInt(10) < 8 ? generator.uniformInt(headerEnd)
                                                        : generator.uniformInt(bytes.count)
            bytes[position] = UInt8(truncatingIfNeeded: generator.next())
            if try Self.exercise(bytes, at: url) { accepted += 1 } else { rejected += 1 }
        }
        for _ in 0..<600 {
            let bytes = Array(original.prefix(generator.uniformInt(original.count)))
            #expect(try !Self.exercise(bytes, at: url), "a truncated file must be rejected")
        }
        let interesting = Array("{}[]\":,0123456789-.eE ".utf8)
        for _ in 0..<600 {
            var header = Array(original[8..<headerEnd])
            let position = generator.uniformInt(header.count)
            switch generator.uniformInt(3) {
            case 0: header[position] = interesting[generator.uniformInt(interesting.count)]
            case 1: header.insert(interesting[generator.uniformInt(interesting.count)], at: position)
            default: header.remove(at: position)
            }
            var bytes = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(header.count) >> (8 * UInt64($0))) }
            bytes += header + original[headerEnd...]
            if try Self.exercise(bytes, at: url) { accepted += 1 } else { rejected += 1 }
        }
        // Both outcomes must occur, or the mutations are not reaching the parser.
        #expect(accepted > 100)
        #expect(rejected > 1000)
    }
}
