/// Writes a POSIX ustar archive to a byte sink: 512-byte headers (mode 0644/0755, owner 0, mtime 0 so the
/// archive is deterministic), data padded to 512, two zero blocks at the end, padded to 10,240 bytes like GNU tar.
public final class TarWriter {
    private let sink: ([UInt8]) throws -> Void
    private var written = 0

    public init(sink: @escaping ([UInt8]) throws -> Void) { self.sink = sink }

    /// Adds a folder entry (`name` should end with `/`).
    public func addDirectory(_ name: String) throws {
        try emit(Self.header(name: name, size: 0, type: UInt8(ascii: "5"), mode: 0o755))
    }

    /// Adds a regular file. `name` must fit ustar's 100-byte name field.
    public func addFile(_ name: String, contents: [UInt8]) throws {
        try emit(Self.header(name: name, size: contents.count, type: UInt8(ascii: "0"), mode: 0o644))
        try emit(contents)
        let padding = (512 - contents.count % 512) % 512
        if padding > 0 { try emit([UInt8](repeating: 0, count: padding)) }
    }

    /// Writes the end-of-archive blocks.
    public func finish() throws {
        try emit([UInt8](repeating: 0, count: 1024))
        let padding = (10_240 - written % 10_240) % 10_240
        if padding > 0 { try emit([UInt8](repeating: 0, count: padding)) }
    }

    private func emit(_ bytes: [UInt8]) throws {
        try sink(bytes)
        written += bytes.count
    }

    static func header(name: String, size: Int, type: UInt8, mode: Int) -> [UInt8] {
        precondition(name.utf8.count <= 100, "tar names here fit ustar's 100-byte field")
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) {
            for (index, byte) in text.utf8.enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, width: Int) -> String {
            let digits = String(value, radix: 8)
            return String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits
        }
        put(name, at: 0)
        put(octal(mode, width: 8), at: 100)
        put(octal(0, width: 8), at: 108)
        put(octal(0, width: 8), at: 116)
        put(octal(size, width: 12), at: 124)
        put(octal(0, width: 12), at: 136)
        put("        ", at: 148)
        header[156] = type
        put("ustar", at: 257)
        put("00", at: 263)
        let sum = header.reduce(0) { $0 + Int($1) }
        put(octal(sum, width: 7), at: 148)
        header[155] = 0x20
        return header
    }
}
