import RawDatasets

/// A MedMNIST split written without composites, reading its images member as one sequential stream: each
/// window's images are inflated in `prepareWindow` into a buffer of one window, then copied out by the workers.
/// Memory: one window of source images, whatever the file's size.
public final class StreamingMedMNISTSplitProducer: SplitRecordProducer, @unchecked Sendable {
    public let splitName: String
    public let split: MedMNISTSplit
    private let archive: MedMNISTArchive
    private let classCount: Int
    private let imageByteCount: Int
    private var stream: (any ByteSource)?
    private var buffer: [UInt8] = []
    private var bufferStart = 0
    private var nextIndex = 0

    /// Checks every multi-class label is below `classCount` (throws `MedMNISTError.badLabel` naming the record).
    public init(archive: MedMNISTArchive, split: MedMNISTSplit, classCount: Int) throws {
        self.archive = archive
        self.split = split
        self.classCount = classCount
        splitName = split.name
        imageByteCount = archive.imageByteCount
        if archive.labelWidth == 1, let bad = split.labels.firstIndex(where: { Int($0) >= classCount }) {
            throw MedMNISTError.badLabel(file: archive.path, split: split.name, record: bad,
                                         detail: "label \(split.labels[bad]) but the file's dataset has \(classCount) classes")
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
        let width = archive.labelWidth
        if width > 1 {
            for column in 0..<width { slots.labels[column] = split.labels[index * width + column] }
        } else {
            slots.labels[Int(split.labels[index])] = 1
        }
        slots.sources = (Int64(index), -1)
    }
}
