import RawDatasets
import Testing

@Suite("NPY headers")
struct NPYHeaderTests {
    private func npy(_ dict: String, version: UInt8 = 1, dataBytes: Int) -> (bytes: [UInt8], size: Int) {
        var header = Array(dict.utf8)
        let lengthField: [UInt8] = version == 1
            ? [UInt8(header.count & 0xFF), UInt8(header.count >> 8)]
            : [UInt8(header.count & 0xFF), UInt8(header.count >> 8), 0, 0]
        header = [0x93] + Array("NUMPY".utf8) + [version, 0] + lengthField + header
        return (header, header.count + dataBytes)
    }

    @Test("v1, v2 and v3 headers give shape and data offset")
    func versions() throws {
        for version: UInt8 in [1, 2, 3] {
            let (bytes, size) = npy("{'descr': '|u1', 'fortran_order': False, 'shape': (3, 28, 28), }\n", version: version, dataBytes: 3 * 784)
            var source = MemoryByteSource(bytes, origin: "x.npy")
            let header = try NPYHeader.read(from: &source, memberSize: size)
            #expect(header.shape == [3, 28, 28])
            #expect(header.headerSize == bytes.count)
            #expect(header.fortranOrder == false)
        }
    }

    @Test("1-D shapes and double quotes parse")
    func oneDimensional() throws {
        let (bytes, size) = npy("{\"descr\": \"<u1\", \"fortran_order\": false_, \"shape\": (5,)}", dataBytes: 5)
        var source = MemoryByteSource(bytes)
        #expect(throws: NPYError.self) { try NPYHeader.read(from: &source, memberSize: size) }
        let (good, goodSize) = npy("{\"descr\": \"<u1\", \"fortran_order\": False, \"shape\": (5,)}", dataBytes: 5)
        var goodSource = MemoryByteSource(good)
        #expect(try NPYHeader.read(from: &goodSource, memberSize: goodSize).shape == [5])
    }

    @Test("object (pickled), big-endian and multi-byte dtypes are refused with a reason", arguments: [
        ("|O", "pickle"), (">i2", "big-endian"), ("<i8", "one-byte"), ("<f4", "one-byte"),
    ])
    func refusedDTypes(descr: String, reason: String) throws {
        let (bytes, size) = npy("{'descr': '\(descr)', 'fortran_order': False, 'shape': (2,), }", dataBytes: 16)
        var source = MemoryByteSource(bytes, origin: "bad.npz:train_labels.npy")
        let error = #expect(throws: NPYError.self) { try NPYHeader.read(from: &source, memberSize: size) }
        #expect(error?.description.contains(reason) == true)
        #expect(error?.description.contains("bad.npz:train_labels.npy") == true)
    }

    @Test("a declared size that differs from the member (zip bomb, truncation) is refused before any allocation")
    func absurdSizes() throws {
        for shape in ["(100000000, 224, 224, 3)", "(9223372036854775807, 9223372036854775807)", "(3, 28, 27)"] {
            let (bytes, size) = npy("{'descr': '|u1', 'fortran_order': False, 'shape': \(shape), }", dataBytes: 3 * 784)
            var source = MemoryByteSource(bytes, origin: "bomb.npy")
            let error = #expect(throws: NPYError.self) { try NPYHeader.read(from: &source, memberSize: size) }
            #expect(error?.description.contains("bomb.npy") == true)
        }
    }

    @Test("bad magic and unknown versions are refused")
    func badMagic() throws {
        var source = MemoryByteSource(Array("PK\u{3}\u{4}nonsense".utf8), origin: "m.npy")
        #expect(throws: NPYError.badMagic(origin: "m.npy")) { try NPYHeader.read(from: &source, memberSize: 12) }
        let (bytes, size) = npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", version: 9, dataBytes: 1)
        var versioned = MemoryByteSource(bytes, origin: "v.npy")
        #expect(throws: NPYError.unsupportedVersion(origin: "v.npy", major: 9)) { try NPYHeader.read(from: &versioned, memberSize: size) }
    }
}
