/// Source images of one split, addressable by index (CIFAR batches, a MedMNIST array): what single-image
/// conversion and composites read from. Implementations are read-only and safe to share between threads.
public protocol SourceImageSet: Sendable {
    var count: Int { get }
    var height: Int { get }
    var width: Int { get }
    /// 1 or 3.
    var channels: Int { get }
    /// Label columns of a source (K).
    var labelWidth: Int { get }
    /// Writes image `index` as H x W x C bytes into `output` (at least `height * width * channels` bytes).
    func copyPixels(of index: Int, into output: UnsafeMutableBufferPointer<UInt8>)
    /// Writes source `index`'s multi-hot labels (K bytes) into `output`.
    func copyLabels(of index: Int, into output: UnsafeMutableBufferPointer<UInt8>)
    /// The single class of source `index`, for composites; nil for a multi-label or unlabelled source.
    func classIndex(of index: Int) -> Int?
    /// A name for messages: `data_batch_1.bin record 17`.
    func name(of index: Int) -> String
    /// Makes the pixels readable (a MedMNIST split extracts its images member here); called on one thread
    /// before the first window of records is produced. Default: nothing.
    func prepare() throws
}

extension SourceImageSet {
    public func prepare() throws {}
}

/// A split written image by image, without composites: record `i` is source `i` (sources = i, -1).
public struct SingleImageSplitProducer: SplitRecordProducer {
    public let splitName: String
    public let images: any SourceImageSet

    public init(splitName: String, images: any SourceImageSet) {
        self.splitName = splitName
        self.images = images
    }

    public var recordCount: Int { images.count }
    public func recordName(_ index: Int) -> String { images.name(of: index) }
    public func prepareWindow(_ range: Range<Int>) throws {
        if range.lowerBound == 0 { try images.prepare() }
    }

    public func produceRecord(_ index: Int, into slots: inout RecordSlots) throws {
        images.copyPixels(of: index, into: slots.pixels)
        images.copyLabels(of: index, into: slots.labels)
        slots.sources = (Int64(index), -1)
    }

    public func precomputedSources() -> [Int64]? { (0..<images.count).flatMap { [Int64($0), -1] } }
}
