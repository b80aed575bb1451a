/// One CIFAR-10 binary batch held in memory: records of 1 label byte (0-9) followed by 3,072 pixel bytes
/// (1,024 red, 1,024 green, 1,024 blue; each plane row-major 32 x 32). The bytes are an array (read from a
/// tarball, or made by tests) or a mapped file (`MappedFile`, read from a folder).
public struct CIFAR10Batch: Sendable {
    /// Bytes per record: 1 label + 3 x 32 x 32 pixels.
    public static let recordSize = 3073
    /// Records in a published batch.
    public static let publishedRecordCount = 10_000
    /// Side of a CIFAR-10 image in pixels.
    public static let side = 32

    /// Where the bytes live.
    private enum Storage: Sendable {
        case array([UInt8])
        case mapped(MappedFile)
    }

    /// The batch's file name, such as `data_batch_1.bin`.
    public let name: String
    /// Where it came from (a path, or `tarball:member`), for error messages.
    public let origin: String
    private let storage: Storage
    /// Number of records.
    public let recordCount: Int

    /// Validates the size (`checkSize`)
    /// and every label byte.
    public init(name: String, origin: String, bytes: [UInt8], allowShortBatches: Bool) throws {
        recordCount = try bytes.withUnsafeBytes { try Self.validate($0, origin: origin, allowShortBatches: allowShortBatches) }
        self.name = name
        self.origin = origin
        storage = .array(bytes)
    }

    /// The same checks over a mapped file's bytes, which the batch keeps (no copy).
    public init(name: String, origin: String, mapped file: MappedFile, allowShortBatches: Bool) throws {
        recordCount = try file.withUnsafeBytes { try Self.validate($0, origin: origin, allowShortBatches: allowShortBatches) }
        self.name = name
        self.origin = origin
        storage = .mapped(file)
    }

    /// Checks a batch's size in bytes before anything is read (from `stat` or a tar header): exactly 10,000
    /// records, or with `allowShortBatches` a whole, non-zero number of records up to 10,000. Throws
    /// `CIFAR10Error.wrongBatchSize` naming `origin`.
    public static func checkSize(_ size: Int, origin: String, allowShortBatches: Bool) throws {
        let expected = recordSize * publishedRecordCount
        if allowShortBatches {
            guard size > 0, size % recordSize == 0, size <= expected else {
                throw CIFAR10Error.wrongBatchSize(file: origin, size: size, expected: 0)
            }
        } else {
            guard size == expected else {
                throw CIFAR10Error.wrongBatchSize(file: origin, size: size, expected: expected)
            }
        }
    }

    /// Checks size and labels; returns the record count.
    private static func validate(_ bytes: UnsafeRawBufferPointer, origin: String, allowShortBatches: Bool) throws -> Int {
        try checkSize(bytes.count, origin: origin, allowShortBatches: allowShortBatches)
        for record in 0..<(bytes.count / recordSize) {
            let label = bytes[record * recordSize]
            guard label < 10 else { throw CIFAR10Error.badLabel(file: origin, record: record, label: label) }
        }
        return bytes.count / recordSize
    }

    /// Calls `body` with the raw file contents, `recordCount * 3073` bytes (valid only inside `body`).
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        switch storage {
        case let .array(bytes): try bytes.withUnsafeBytes(body)
        case let .mapped(file): try file.withUnsafeBytes(body)
        }
    }

    /// A copy of the raw file contents, `recordCount * 3073` bytes.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// The class index (0-9) of `record`.
    public func label(at record: Int) -> Int {
        precondition(record >= 0 && record < recordCount, "record \(record) outside 0..<\(recordCount)")
        return withUnsafeBytes { Int($0[record * Self.recordSize]) }
    }

    /// Writes `record`'s pixels as H x W x C = 32 x 32 x 3, row-major, channels interleaved (3,072 bytes).
    public func copyPixelsHWC(record: Int, into output: UnsafeMutableBufferPointer<UInt8>) {
        precondition(output.count >= 3072, "a CIFAR-10 image needs 3,072 bytes")
        precondition(record >= 0 && record < recordCount, "record \(record) outside 0..<\(recordCount)")
        withUnsafeBytes { all in
            let base = record * Self.recordSize + 1
            for pixel in 0..<1024 {
                output[pixel * 3] = all[base + pixel]
                output[pixel * 3 + 1] = all[base + 1024 + pixel]
                output[pixel * 3 + 2] = all[base + 2048 + pixel]
            }
        }
    }
}
