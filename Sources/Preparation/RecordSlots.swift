/// Where a producer writes one record. Every slot arrives zeroed (`sources` = -1, -1).
///
/// The buffers belong to the pipeline and are valid only during `produceRecord`.
public struct RecordSlots {
    /// H x W x C bytes, row-major, channels interleaved.
    public let pixels: UnsafeMutableBufferPointer<UInt8>
    /// K bytes: 0/1 per class (multi-hot).
    public let labels: UnsafeMutableBufferPointer<UInt8>
    /// K bytes, or empty when the layout has no difficult mask.
    public let difficult: UnsafeMutableBufferPointer<UInt8>
    /// Source indices of the record (composites: the class-a and class-b sources; singles: index, -1).
    public var sources: (Int64, Int64) = (-1, -1)

    package init(pixels: UnsafeMutableBufferPointer<UInt8>, labels: UnsafeMutableBufferPointer<UInt8>,
                 difficult: UnsafeMutableBufferPointer<UInt8>) {
        self.pixels = pixels
        self.labels = labels
        self.difficult = difficult
    }
}

/// One split of a conversion: the pipeline asks for records `0..<recordCount` and writes them in that order.
///
/// `produceRecord` is called concurrently from up to `--workers` threads in any order, so it must only read
/// shared state (decode a file, copy from a batch, place a composite). Its output must depend only on `index`,
/// which is what makes the prepared files byte-identical for any worker count.
public protocol SplitRecordProducer: Sendable {
    /// `train`, `val` or `test` (the output file is `<splitName>.safetensors`).
    var splitName: String { get }
    var recordCount: Int { get }
    /// A short name for record `index` used in error messages and the skipped list (a file name, an id).
    func recordName(_ index: Int) -> String
    /// Fills `slots` for record `index`; throws a typed error naming the record's input on bad data.
    func produceRecord(_ index: Int, into slots: inout RecordSlots) throws
    /// Every record's sources (2 per record), if known without producing pixels (composites, CIFAR, MedMNIST);
    /// nil (the default) otherwise. When known, the split file is written and hashed strictly front to back
    /// (sources precede images in the file); `produceRecord` must then report the same sources.
    func precomputedSources() -> [Int64]?
    /// Called on one thread before records `range` are produced, windows in ascending order: a producer reading a
    /// sequential stream (a DEFLATE member) fills its buffer here, so memory stays at one window. Default: nothing.
    func prepareWindow(_ range: Range<Int>) throws
}

extension SplitRecordProducer {
    public func recordName(_ index: Int) -> String { "\(splitName) record \(index)" }
    public func precomputedSources() -> [Int64]? { nil }
    public func prepareWindow(_ range: Range<Int>) throws {}
}
