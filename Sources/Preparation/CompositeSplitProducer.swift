/// Produces the records of a `CompositePlan`: a zero canvas of 2h x 2w x C with each placed source merged by
/// per-channel maximum; labels multi-hot over the record's classes; sources as planned.
///
/// A set that can place images itself (`CanvasPlacingImageSet`) draws them straight onto the canvas: the first
/// placement overwrites (the slot arrives zeroed, so that equals the maximum), later ones merge. Other sets are
/// copied out image by image and merged with `mergeMaximum`; both give the same bytes.
public struct CompositeSplitProducer: SplitRecordProducer {
    public let splitName: String
    public let plan: CompositePlan
    public let images: any SourceImageSet
    /// `images` when it places images itself.
    private let placing: (any CanvasPlacingImageSet)?

    public init(splitName: String, plan: CompositePlan, images: any SourceImageSet) {
        self.splitName = splitName
        self.plan = plan
        self.images = images
        placing = images as? any CanvasPlacingImageSet
    }

    public var recordCount: Int { plan.records.count }

    /// Before the first window: lets the sources load their pixels (`SourceImageSet.prepare`).
    public func prepareWindow(_ range: Range<Int>) throws {
        if range.lowerBound == 0 { try images.prepare() }
    }

    public func recordName(_ index: Int) -> String {
        let record = plan.records[index]
        return "\(splitName) composite \(index) of " + record.placements.map { images.name(of: $0.source) }.joined(separator: " + ")
    }

    public func produceRecord(_ index: Int, into slots: inout RecordSlots) throws {
        let record = plan.records[index]
        for label in record.classes { slots.labels[label] = 1 }
        slots.sources = record.sources
        let height = images.height, width = images.width, channels = images.channels
        let rowBytes = width * channels
        let canvasRowBytes = plan.canvasWidth * channels
        if let placing {
            for (order, placement) in record.placements.enumerated() {
                placing.place(placement.source, into: slots.pixels, at: placement.top * canvasRowBytes + placement.left * channels,
                              canvasRowBytes: canvasRowBytes, merge: order > 0)
            }
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: height * rowBytes) { scratch in
            for placement in record.placements {
                images.copyPixels(of: placement.source, into: scratch)
                Self.mergeMaximum(scratch, rowBytes: rowBytes, rows: height,
                                  into: slots.pixels, at: placement.top * canvasRowBytes + placement.left * channels,
                                  canvasRowBytes: canvasRowBytes)
            }
        }
    }

    public func precomputedSources() -> [Int64]? { plan.records.flatMap { [$0.sources.0, $0.sources.1] } }

    /// `canvas[offset + y * canvasRowBytes + i] = max(canvas[...], image[y * rowBytes + i])` for every row `y`.
    package static func mergeMaximum(_ image: UnsafeMutableBufferPointer<UInt8>, rowBytes: Int, rows: Int,
                                     into canvas: UnsafeMutableBufferPointer<UInt8>, at offset: Int, canvasRowBytes: Int) {
        guard let source = image.baseAddress, let target = canvas.baseAddress else { return }
        precondition(offset + (rows - 1) * canvasRowBytes + rowBytes <= canvas.count, "placement outside the canvas")
        for row in 0..<rows {
            let from = source + row * rowBytes
            let to = target + offset + row * canvasRowBytes
            for index in 0..<rowBytes { to[index] = max(to[index], from[index]) }
        }
    }
}
