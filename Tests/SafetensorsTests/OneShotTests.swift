import Foundation
import Safetensors
import SeededRandom
import Testing

@Suite("Safetensors one-shot writer and layout")
struct OneShotTests {
    /// One tensor of every dtype, with seeded random bytes, plus an empty tensor and a scalar.
    static func everyDType(seed: UInt64) -> [String: TensorData] {
        var generator = Xoshiro256StarStar(seed: seed, stream: "every-dtype")
        var tensors = [String: TensorData]()
        for (index, dtype) in TensorDType.allCases.enumerated() {
            let shape = [index % 3 + 1, 3, 2]
            let count = shape.reduce(1, *) * dtype.byteWidth
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if dtype == .bool { bytes = bytes.map { $0 & 1 } }
            tensors["t_\(dtype.rawValue.lowercased())"] = TensorData(dtype: dtype, shape: shape, bytes: bytes)
        }
        tensors["empty"] = TensorData(dtype: .float32, shape: [0, 5], bytes: [])
        tensors["scalar"] = TensorData([Int64(-42)], shape: [])
        return tensors
    }

    @Test("all dtypes, an empty tensor and a scalar survive a round trip")
    func allDTypes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.file("all.safetensors")
        let tensors = Self.everyDType(seed: 1)
        try Safetensors.write(tensors: tensors, metadata: ["format": "1", "quote\"key": "line\nbreak"], to: url)
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.metadata == ["format": "1", "quote\"key": "line\nbreak"])
        #expect(file.tensorNames == tensors.keys.sorted())
        for (name, tensor) in tensors {
            #expect(try file.tensorData(name) == tensor, "\(name)")
        }
        #expect(try file.array(of: Int64.self, "scalar") == [-42])
        #expect(try file.info("empty").byteCount == 0)
        #expect(try file.array(of: Float.self, "empty").isEmpty)
        #expect(try folder.contents() == ["all.safetensors"])
    }

    @Test("same input, same bytes; header padded to 64; data ordered by width then name and aligned")
    func deterministicLayout() throws {
        let tensors = Self.everyDType(seed: 2)
        let first = Safetensors.encode(tensors: tensors, metadata: ["b": "2", "a": "1"])
        let second = Safetensors.encode(tensors: tensors, metadata: ["a": "1", "b": "2"])
        #expect(first == second)
        let headerLength = first[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect((8 + headerLength) % 64 == 0)
        let header = String(decoding: first[8..<(8 + headerLength)], as: UTF8.self)
        #expect(header.hasPrefix(#"{"__metadata__":{"a":"1","b":"2"},"empty":{"data_offsets":[296,296],"#
            + #""dtype":"F32","shape":[0,5]},"scalar":{"data_offsets":[0,8],"dtype":"I64","shape":[]},"#))
        let json = header.trimmingCharacters(in: CharacterSet(charactersIn: " "))
        #expect(json.hasSuffix(#""shape":[2,3,2]}}"#))
        #expect(header.count - json.count < 64)

        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.file("layout.safetensors")
        try Safetensors.write(tensors: tensors, metadata: ["a": "1", "b": "2"], to: url)
        #expect(try Data(contentsOf: url) == Data(first))
        let file = try SafetensorsFile(contentsOf: url)
        let infos = try file.tensorNames.map { (name: $0, info: try file.info($0)) }
        var previousWidth = 8
        for (name, info) in infos.sorted(by: { $0.info.dataOffsets.lowerBound < $1.info.dataOffsets.lowerBound }) {
            #expect(info.dtype.byteWidth <= previousWidth, "\(name) out of width order")
            #expect((file.dataStart + info.dataOffsets.lowerBound) % info.dtype.byteWidth == 0, "\(name) misaligned")
            previousWidth = info.dtype.byteWidth
        }
    }

    @Test("many tensors (2,000) with a large header")
    func manyTensors() throws {
        var tensors = [String: TensorData]()
        for index in 0..<2000 {
            tensors["layer\(index).weight"] = TensorData((0..<(index % 7)).map { Float($0) * Float(index) },
                                                          shape: [index % 7])
        }
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.file("many.safetensors")
        try Safetensors.write(tensors: tensors, to: url)
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.tensorNames.count == 2000)
        #expect(file.metadata.isEmpty)
        #expect(try file.array(of: Float.self, "layer1234.weight") == (0..<2).map { Float($0) * 1234 })
        #expect(try file.array(of: Float.self, "layer6.weight").count == 6)
    }
}
