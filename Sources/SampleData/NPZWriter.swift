import CZlib

/// Writes an `.npz` (a ZIP of `.npy` members) the way `numpy.savez_compressed` does: DEFLATE members with
/// `.npy` v1 headers (`{'descr': '|u1', 'fortran_order': False, 'shape': (...), }` padded to 64 bytes), or
/// STORED members like `numpy.savez`. Fixed DOS timestamps (1980-01-01) keep the file deterministic.
public struct NPZWriter {
    public enum Compression: Sendable { case deflate, stored }
    private var members: [(name: String, header: [UInt8], data: [UInt8])] = []

    public init() {}

    /// Adds `name.npy` holding a uint8 array of `shape` (row-major `values`).
    public mutating func addUInt8Array(_ name: String, shape: [Int], values: [UInt8]) {
        precondition(shape.reduce(1, *) == values.count, "values must match the shape")
        members.append((name + ".npy", Self.npyHeader(shape: shape), values))
    }

    /// The `.npy` v1 header for a uint8 C-order array.
    public static func npyHeader(shape: [Int]) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '|u1', 'fortran_order': False, 'shape': \(shapeText), }"
        while (10 + dict.utf8.count + 1) % 64 != 0 { dict += " " }
        dict += "\n"
        let length = dict.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(dict.utf8)
    }

    /// The whole archive.
    public func archive(compression: Compression) throws -> [UInt8] {
        var output: [UInt8] = []
        var directory: [UInt8] = []
        for member in members {
            let content = member.header + member.data
            let crc = content.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
            var payload: [UInt8] = []
            if compression == .deflate {
                let compressor = DeflateCompressor(gzip: false) { payload.append(contentsOf: $0) }
                try compressor.write(content)
                try compressor.finish()
            } else {
                payload = content
            }
            let method: UInt16 = compression == .deflate ? 8 : 0
            let offset = output.count
            let name = Array(member.name.utf8)
            var local: [UInt8] = []
            local.le32(0x0403_4B50); local.le16(20); local.le16(0); local.le16(method)
            local.le16(0); local.le16(0x0021)
            local.le32(crc); local.le32(UInt32(payload.count)); local.le32(UInt32(content.count))
            local.le16(UInt16(name.count)); local.le16(0)
            output += local + name + payload
            directory.le32(0x0201_4B50); directory.le16(20); directory.le16(20); directory.le16(0); directory.le16(method)
            directory.le16(0); directory.le16(0x0021)
            directory.le32(crc); directory.le32(UInt32(payload.count)); directory.le32(UInt32(content.count))
            directory.le16(UInt16(name.count)); directory.le16(0); directory.le16(0); directory.le16(0); directory.le16(0)
            directory.le32(0o100644 << 16); directory.le32(UInt32(offset))
            directory += name
        }
        let directoryOffset = output.count
        output += directory
        var end: [UInt8] = []
        end.le32(0x0605_4B50); end.le16(0); end.le16(0)
        end.le16(UInt16(members.count)); end.le16(UInt16(members.count))
        end.le32(UInt32(directory.count)); end.le32(UInt32(directoryOffset)); end.le16(0)
        return output + end
    }
}

extension [UInt8] {
    fileprivate mutating func le16(_ value: UInt16) { append(UInt8(value & 0xFF)); append(UInt8(value >> 8)) }
    fileprivate mutating func le32(_ value: UInt32) { le16(UInt16(value & 0xFFFF)); le16(UInt16(value >> 16)) }
}
