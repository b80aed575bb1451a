import RawDatasets

/// A MedMNIST split written without composites, reading its images member as one sequential stream: each
/// window's images are inflated in `prepareWindow` into a buffer of one window, then copied out by the workers.
/// Memory: one window of source images, whatever the file's size.
public final class StreamingMedMNISTSplitProducer: SplitRecordProducer, @unchecked Sendable {
    public let splitName: String
    public let split: MedMNISTSplit
    let archive: MedMNISTArchive
    let imageByteCount: Int
    /// Labels as written: N x K bytes, one-hot (multi-class) or multi-hot as stored (multi-label).
    let labelMatrix: [UInt8]
    private var stream: (any ByteSource)?
    private var buffer: [UInt8] = []
    private var bufferStart = 0
    private var nextIndex = 0

    /// Checks every multi-class label is below `classCount` (throws `MedMNISTError.badLabel` naming the record).
    public init(archive: MedMNISTArchive, split: MedMNISTSplit, classCount: Int) throws {
        self.archive = archive
        self.split = split
        splitName = split.name
        imageByteCount = archive.imageByteCount
        if archive.labelWidth == 1, let bad = split.labels.firstIndex(where: { Int($0) >= classCount }) {
            throw MedMNISTError.badLabel(file: archive.path, split: split.name, record: bad,
                                         detail: "label \(split.labels[bad]) but the file's dataset has \(classCount) classes")
        }
        if archive.labelWidth > 1 {
            labelMatrix = split.labels
        } else {
            var matrix = [UInt8](repeating: 0, count: split.count * classCount)
            for (record, label) in split.labels.enumerated() { matrix[record * classCount + Int(label)] = 1 }
            labelMatrix = matrix
        }
    }

    public var recordCount: Int { split.count }
    public func recordName(_ index: Int) -> String { "\(split.name)_images.npy record \(index)" }
    public func precomputedSources() -> [Int64]? { (0..<split.count).flatMap { [Int64($0), -1] } }

    public func prepareWindow(_ range: Range<Int>) throws {
        precondition(range.lowerBound == nextIndex, "windows must come in order")
        if stream == nil {
            var opened = try archive.zip.openMember(split.imagesMember)
            _ = try NPYHeader.read(from: &opened, memberSize: split.imagesMember.uncompressedSize)
            stream = opened
        }
        let byteCount = range.count * imageByteCount
        if buffer.count < byteCount { buffer = [UInt8](repeating: 0, count: byteCount) }
        try buffer.withUnsafeMutableBytes { bytes in
            try stream?.readExactly(into: UnsafeMutableRawBufferPointer(rebasing: bytes[0..<byteCount]), context: "the image data")
        }
        bufferStart = range.lowerBound
        nextIndex = range.upperBound
        if nextIndex == split.count {
            _ = try stream?.drain()
            stream = nil
        }
    }

    public func produceRecord(_ index: Int, into slots: inout RecordSlots) throws {
        let offset = (index - bufferStart) * imageByteCount
        buffer.withUnsafeBufferPointer { bytes in
            _ = slots.pixels.update(fromContentsOf: bytes[offset..<(offset + imageByteCount)])
        }
        let width = slots.labels.count
        labelMatrix.withUnsafeBufferPointer { matrix in
            _ = slots.labels.update(fromContentsOf: matrix[(index * width)..<((index + 1) * width)])
        }
        slots.sources = (Int64(index), -1)
    }
}
