#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A safetensors file, memory-mapped read-only and validated on open.
///
/// Opening reads only the 8-byte length and the header; tensor bytes are paged in on access. The mapping lives as
/// long as this object (unmapped in `deinit`); buffers passed to closures must not escape them.
/// Thread-safe: every stored property is immutable and the mapping is read-only.
public final class SafetensorsFile: @unchecked Sendable {
    /// The file that was opened.
    public let url: URL
    /// `__metadata__` (empty if absent).
    public let metadata: [String: String]
    /// All tensor names, sorted by UTF-8 bytes.
    public let tensorNames: [String]
    /// Total size of the file in bytes.
    public let fileByteCount: Int
    /// Offset of the data section from the start of the file (`8 + header length`).
    public let dataStart: Int

    private let tensors: [String: TensorInfo]
    private let mapping: UnsafeRawBufferPointer

    /// Maps and validates `url`. Throws `SafetensorsError` for a missing, truncated or malformed file; the header
    /// length is checked against `Safetensors.maximumHeaderByteCount` before anything is allocated for it.
    public init(contentsOf url: URL) throws(SafetensorsError) {
        let path = url.path
        // Non-blocking open, then only a regular file is accepted: a FIFO or device named like a safetensors
        // file is refused at once instead of blocking.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: PosixFile.errnoDescription()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw .cannotOpen(path: path, reason: PosixFile.errnoDescription())
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw .cannotOpen(path: path, reason: "not a regular file") }
        let fileByteCount = Int(status.st_size)
        guard fileByteCount >= 8 else {
            throw .truncated(path: path, fileByteCount: fileByteCount, neededByteCount: 8)
        }
        guard let base = mmap(nil, fileByteCount, PROT_READ, MAP_PRIVATE, descriptor, 0),
              base != UnsafeMutableRawPointer(bitPattern: -1)
        else {
            throw .cannotOpen(path: path, reason: "mmap: \(PosixFile.errnoDescription())")
        }
        let mapping = UnsafeRawBufferPointer(start: base, count: fileByteCount)
        do {
            let header = try Self.readHeader(mapping, path: path)
            self.metadata = header.header.metadata
            self.tensors = header.header.tensors
            self.dataStart = header.dataStart
        } catch {
            munmap(base, fileByteCount)
            throw error
        }
        self.url = url
        self.fileByteCount = fileByteCount
        self.mapping = mapping
        self.tensorNames = tensors.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    deinit {
        if let base = mapping.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), mapping.count)
        }
    }

    private static func readHeader(_ mapping: UnsafeRawBufferPointer, path: String)
        throws(SafetensorsError) -> (header: SafetensorsHeader, dataStart: Int)
    {
        var headerByteCount: UInt64 = 0
        for index in 0..<8 { headerByteCount |= UInt64(mapping[index]) << UInt64(8 * index) }
        guard headerByteCount <= Safetensors.maximumHeaderByteCount else {
            throw .headerTooLarge(path: path, headerByteCount: headerByteCount)
        }
        let dataStart = 8 + Int(headerByteCount)
        guard dataStart <= mapping.count else {
            throw .truncated(path: path, fileByteCount: mapping.count, neededByteCount: dataStart)
        }
        let json = Data(UnsafeRawBufferPointer(rebasing: mapping[8..<dataStart]))
        let header = try SafetensorsHeader.parse(json: json, dataByteCount: mapping.count - dataStart, path: path)
        return (header, dataStart)
    }

    /// Dtype, shape and byte range of tensor `name`.
    public func info(_ name: String) throws(SafetensorsError) -> TensorInfo {
        guard let info = tensors[name] else { throw .missingTensor(path: url.path, tensor: name) }
        return info
    }

    /// True if the file has a tensor called `name`.
    public func contains(_ name: String) -> Bool { tensors[name] != nil }

    /// Calls `body` with every byte of the file (header included), straight from the mapping (no copy); for
    /// hashing the file without reading it a second time.
    public func withUnsafeFileBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(mapping)
    }

    /// Calls `body` with the raw little-endian bytes of tensor `name`, straight from the mapping (no copy).
    /// Tensors written by `SafetensorsWriter` are aligned to their element width; files from elsewhere may not
    /// be, so use `loadUnaligned` or `array(of:_:)` for typed access.
    public func withUnsafeBytes<Result>(of name: String, _ body: (UnsafeRawBufferPointer) throws -> Result)
        throws -> Result
    {
        let info = try info(name)
        return try body(bytes(in: info.dataOffsets))
    }

    /// A copy of tensor `name`'s elements, row-major. Throws `dtypeMismatch` unless `Scalar.tensorDType` is the
    /// stored dtype (e.g. `array(of: Float.self, "weights")` needs `F32`).
    public func array<Scalar: SafetensorsScalar>(of type: Scalar.Type, _ name: String) throws(SafetensorsError)
        -> [Scalar]
    {
        let info = try checkedInfo(name, as: Scalar.self)
        return Self.copy(bytes(in: info.dataOffsets), as: Scalar.self)
    }

    /// A copy of tensor `name` with its dtype and shape.
    public func tensorData(_ name: String) throws(SafetensorsError) -> TensorData {
        let info = try info(name)
        return TensorData(dtype: info.dtype, shape: info.shape, bytes: [UInt8](bytes(in: info.dataOffsets)))
    }

    /// A copy of rows `range` of tensor `name` along its leading dimension: `range.count * product(shape[1...])`
    /// elements. Throws for a dtype mismatch, a scalar tensor or a range outside `0..<shape[0]`.
    public func rows<Scalar: SafetensorsScalar>(_ name: String, _ range: Range<Int>, as type: Scalar.Type)
        throws(SafetensorsError) -> [Scalar]
    {
        let info = try checkedInfo(name, as: Scalar.self)
        return Self.copy(try rowBytes(info, name: name, range), as: Scalar.self)
    }

    /// Calls `body` with the raw bytes of rows `range` of tensor `name` (no copy; see `withUnsafeBytes(of:_:)`).
    public func withUnsafeRows<Result>(_ name: String, _ range: Range<Int>,
                                       _ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result
    {
        let info = try info(name)
        return try body(try rowBytes(info, name: name, range))
    }

    private func checkedInfo<Scalar: SafetensorsScalar>(_ name: String, as type: Scalar.Type)
        throws(SafetensorsError) -> TensorInfo
    {
        let info = try info(name)
        guard info.dtype == Scalar.tensorDType else {
            throw .dtypeMismatch(path: url.path, tensor: name, stored: info.dtype, requested: Scalar.tensorDType)
        }
        return info
    }

    private func rowBytes(_ info: TensorInfo, name: String, _ range: Range<Int>) throws(SafetensorsError)
        -> UnsafeRawBufferPointer
    {
        guard let rowCount = info.rowCount, let rowByteCount = info.rowByteCount,
              range.lowerBound >= 0, range.upperBound <= rowCount
        else {
            throw .rowsOutOfRange(path: url.path, tensor: name, requested: range, rowCount: info.rowCount ?? 0)
        }
        let begin = info.dataOffsets.lowerBound + range.lowerBound * rowByteCount
        return bytes(in: begin..<(begin + range.count * rowByteCount))
    }

    private func bytes(in dataOffsets: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: mapping[(dataStart + dataOffsets.lowerBound)..<(dataStart + dataOffsets.upperBound)])
    }

    private static func copy<Scalar: SafetensorsScalar>(_ raw: UnsafeRawBufferPointer, as type: Scalar.Type)
        -> [Scalar]
    {
        let count = raw.count / MemoryLayout<Scalar>.stride
        return [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
            initialized = count
        }
    }
}
