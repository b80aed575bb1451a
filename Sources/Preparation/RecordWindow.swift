/// Buffers for a window of consecutive records: pixels, labels, difficult mask, sources and per-record failures.
/// Workers write disjoint records, so the class is shared across threads without locks (`@unchecked Sendable`).
final class RecordWindow: @unchecked Sendable {
    let capacity: Int
    let layout: PreparedLayout
    let pixels: UnsafeMutableBufferPointer<UInt8>
    let labels: UnsafeMutableBufferPointer<UInt8>
    let difficult: UnsafeMutableBufferPointer<UInt8>
    let sources: UnsafeMutableBufferPointer<Int64>
    private var failures: [(any Error)?]
    /// The first record index held (the window holds `first ..< first + count`).
    var first = 0
    var count = 0

    init(capacity: Int, layout: PreparedLayout) {
        self.capacity = capacity
        self.layout = layout
        pixels = .allocate(capacity: capacity * layout.imageByteCount)
        labels = .allocate(capacity: capacity * layout.classCount)
        difficult = .allocate(capacity: layout.hasDifficultMask ? capacity * layout.classCount : 0)
        sources = .allocate(capacity: capacity * 2)
        failures = Array(repeating: nil, count: capacity)
    }

    deinit {
        pixels.deallocate()
        labels.deallocate()
        difficult.deallocate()
        sources.deallocate()
    }

    /// Prepares to hold `first ..< first + count`.
    func reset(first: Int, count: Int) {
        precondition(count <= capacity)
        self.first = first
        self.count = count
        for slot in 0..<count { failures[slot] = nil }
    }

    /// Produces record `first + slot` into the window's slot (zeroing it first), recording a failure.
    func produce(slot: Int, with producer: any SplitRecordProducer) {
        let imageBytes = layout.imageByteCount
        let classes = layout.classCount
        let pixelSlot = UnsafeMutableBufferPointer(rebasing: pixels[(slot * imageBytes)..<((slot + 1) * imageBytes)])
        let labelSlot = UnsafeMutableBufferPointer(rebasing: labels[(slot * classes)..<((slot + 1) * classes)])
        let difficultSlot = layout.hasDifficultMask
            ? UnsafeMutableBufferPointer(rebasing: difficult[(slot * classes)..<((slot + 1) * classes)])
            : UnsafeMutableBufferPointer(rebasing: difficult[0..<0])
        pixelSlot.update(repeating: 0)
        labelSlot.update(repeating: 0)
        difficultSlot.update(repeating: 0)
        var slots = RecordSlots(pixels: pixelSlot, labels: labelSlot, difficult: difficultSlot)
        do {
            try producer.produceRecord(first + slot, into: &slots)
            failures[slot] = nil
        } catch {
            failures[slot] = error
        }
        sources[slot * 2] = slots.sources.0
        sources[slot * 2 + 1] = slots.sources.1
    }

    /// The failure of slot `slot`, if its producer threw.
    func failure(at slot: Int) -> (any Error)? { failures[slot] }
}
