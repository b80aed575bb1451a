/// Accumulates a split's small tensors (labels, difficult, sources) while windows are written in order, skipping
/// failed records; only the writer thread touches it.
final class SplitCollector: @unchecked Sendable {
    let layout: PreparedLayout
    var labels: [UInt8] = []
    var difficultMask: [UInt8] = []
    var sources: [Int64] = []
    var skipped: [String] = []
    private(set) var writtenCount = 0

    init(layout: PreparedLayout, expectedCount: Int) {
        self.layout = layout
        labels.reserveCapacity(expectedCount * layout.classCount)
        sources.reserveCapacity(expectedCount * 2)
    }

    var difficult: [UInt8]? { layout.hasDifficultMask ? difficultMask : nil }

    /// Writes the window's successful records, in order, to `sink` and keeps their small tensors.
    func write(_ window: RecordWindow, to sink: any SplitFileSink) throws {
        let imageBytes = layout.imageByteCount
        let classes = layout.classCount
        var runStart = 0
        func flush(upTo end: Int) throws {
            guard end > runStart else { return }
            try sink.appendImages(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: window.pixels[(runStart * imageBytes)..<(end * imageBytes)])))
            labels.append(contentsOf: window.labels[(runStart * classes)..<(end * classes)])
            if layout.hasDifficultMask {
                difficultMask.append(contentsOf: window.difficult[(runStart * classes)..<(end * classes)])
            }
            sources.append(contentsOf: window.sources[(runStart * 2)..<(end * 2)])
            writtenCount += end - runStart
        }
        for slot in 0..<window.count where window.failure(at: slot) != nil {
            try flush(upTo: slot)
            runStart = slot + 1
        }
        try flush(upTo: window.count)
    }

    /// Keeps the small tensors of a window whose images are written elsewhere (`WindowWriter`'s two tasks); the
    /// window must hold no failed records.
    func keepSmallTensors(of window: RecordWindow) {
        let classes = layout.classCount
        precondition((0..<window.count).allSatisfy { window.failure(at: $0) == nil }, "a window with failed records")
        labels.append(contentsOf: window.labels[0..<(window.count * classes)])
        if layout.hasDifficultMask { difficultMask.append(contentsOf: window.difficult[0..<(window.count * classes)]) }
        sources.append(contentsOf: window.sources[0..<(window.count * 2)])
        writtenCount += window.count
    }

    /// Positives per class over the written records.
    func classCounts() -> [Int] { layout.classCounts(of: labels) }
}
