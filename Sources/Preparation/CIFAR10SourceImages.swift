import RawDatasets

/// CIFAR-10 batches concatenated into one source list (train = data_batch_1..4: indices 0..<40,000 in file
/// order). Pixels are converted from the file's planar R, G, B to H x W x C on the fly (`PlanarRGB`'s C kernel),
/// straight onto a composite canvas when placed.
public struct CIFAR10SourceImages: CanvasPlacingImageSet {
    public let batches: [CIFAR10Batch]
    private let starts: [Int]
    public let count: Int
    public var height: Int { CIFAR10Batch.side }
    public var width: Int { CIFAR10Batch.side }
    public var channels: Int { 3 }
    public var labelWidth: Int { 10 }

    public init(batches: [CIFAR10Batch]) {
        self.batches = batches
        var starts: [Int] = []
        var total = 0
        for batch in batches {
            starts.append(total)
            total += batch.recordCount
        }
        self.starts = starts
        count = total
    }

    private func locate(_ index: Int) -> (batch: CIFAR10Batch, record: Int) {
        precondition(index >= 0 && index < count, "source \(index) outside 0..<\(count)")
        var batchIndex = starts.count - 1
        while starts[batchIndex] > index { batchIndex -= 1 }
        return (batches[batchIndex], index - starts[batchIndex])
    }

    public func copyPixels(of index: Int, into output: UnsafeMutableBufferPointer<UInt8>) {
        place(index, into: output, at: 0, canvasRowBytes: 3 * CIFAR10Batch.side, merge: false)
    }

    public func place(_ index: Int, into canvas: UnsafeMutableBufferPointer<UInt8>, at offset: Int, canvasRowBytes: Int,
                      merge: Bool) {
        let (batch, record) = locate(index)
        let side = CIFAR10Batch.side
        let start = record * CIFAR10Batch.recordSize + 1
        batch.withUnsafeBytes { all in
            PlanarRGB.place(UnsafeRawBufferPointer(rebasing: all[start..<(start + 3 * side * side)]), width: side, height: side,
                            into: canvas, at: offset, canvasRowBytes: canvasRowBytes, merge: merge)
        }
    }

    public func copyLabels(of index: Int, into output: UnsafeMutableBufferPointer<UInt8>) {
        let (batch, record) = locate(index)
        output[batch.label(at: record)] = 1
    }

    public func classIndex(of index: Int) -> Int? {
        let (batch, record) = locate(index)
        return batch.label(at: record)
    }

    public func name(of index: Int) -> String {
        let (batch, record) = locate(index)
        return "\(batch.name) record \(record)"
    }
}
