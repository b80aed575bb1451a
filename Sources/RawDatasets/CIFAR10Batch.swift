/// One CIFAR-10 binary batch held in memory: records of 1 label byte (0-9) followed by 3,072 pixel bytes
/// (1,024 red, 1,024 green, 1,024 blue; each plane row-major 32 x 32).
public struct CIFAR10Batch: Sendable {
    /// Bytes per record: 1 label + 3 x 32 x 32 pixels.
    public static let recordSize = 3073
    /// Records in a published batch.
    public static let publishedRecordCount = 10_000
    /// Side of a CIFAR-10 image in pixels.
    public static let side = 32

    /// The batch's file name, such as `data_batch_1.bin`.
    public let name: String
    /// Where it came from (a path, or `tarball:member`), for error messages.
    public let origin: String
    /// The raw file contents, `recordCount * 3073` bytes.
    public let bytes: [UInt8]

    /// Validates the size (exactly 10,000 records unless `allowShortBatches`, then any whole non-zero number)
    /// and every label byte.
    public init(name: String, origin: String, bytes: [UInt8], allowShortBatches: Bool) throws {
        let expected = Self.recordSize * Self.publishedRecordCount
        if allowShortBatches {
            guard !bytes.isEmpty, bytes.count % Self.recordSize == 0 else {
                throw CIFAR10Error.wrongBatchSize(file: origin, size: bytes.count, expected: 0)
            }
        } else {
            guard bytes.count == expected else {
                throw CIFAR10Error.wrongBatchSize(file: origin, size: bytes.count, expected: expected)
            }
        }
        for record in 0..<(bytes.count / Self.recordSize) {
            let label = bytes[record * Self.recordSize]
            guard label < 10 else { throw CIFAR10Error.badLabel(file: origin, record: record, label: label) }
        }
        self.name = name
        self.origin = origin
        self.bytes = bytes
    }

    /// Number of records.
    public var recordCount: Int { bytes.count / Self.recordSize }

    /// The class index (0-9) of `record`.
    public func label(at record: Int) -> Int { Int(bytes[record * Self.recordSize]) }

    /// Writes `record`'s pixels as H x W x C = 32 x 32 x 3, row-major, channels interleaved (3,072 bytes).
    public func copyPixelsHWC(record: Int, into output: UnsafeMutableBufferPointer<UInt8>) {
        precondition(output.count >= 3072, "a CIFAR-10 image needs 3,072 bytes")
        bytes.withUnsafeBufferPointer { all in
            let base = record * Self.recordSize + 1
            for pixel in 0..<1024 {
                output[pixel * 3] = all[base + pixel]
                output[pixel * 3 + 1] = all[base + 1024 + pixel]
                output[pixel * 3 + 2] = all[base + 2048 + pixel]
            }
        }
    }
}
