/// Writes a split's finished windows to its file, as one task or as two that the pipeline runs side by side.
///
/// In general one task does it all (`SplitCollector.write`: images appended in record order, small tensors kept,
/// failed records skipped). When the file is hashed while it is written (`SafetensorsSplitSink`) and windows
/// never hold failed records (no `--skip-bad`: a failure ends the run before its window is written), the work
/// is split: task 0 feeds the window's images to the file's SHA-256 and keeps the small tensors, task 1
/// `pwrite`s the images to their final offset. Hashing is each file's one sequential chain (about 1.5 GB/s), so
/// writing no longer waits behind it.
final class WindowWriter: @unchecked Sendable {
    private let collector: SplitCollector
    private let sink: any SplitFileSink
    /// `sink` when the work is split in two tasks.
    private let splitSink: SafetensorsSplitSink?

    /// `windowsMayHoldFailures`: true with `--skip-bad` (failed records are left out of the file).
    init(collector: SplitCollector, sink: any SplitFileSink, windowsMayHoldFailures: Bool) {
        self.collector = collector
        self.sink = sink
        let safetensors = sink as? SafetensorsSplitSink
        splitSink = !windowsMayHoldFailures && safetensors?.hashesWhileWriting == true ? safetensors : nil
    }

    /// How many tasks write one window (1 or 2); each task index runs once per window, in any order or at once.
    var taskCount: Int { splitSink == nil ? 1 : 2 }

    /// Runs task `task` (`0 ..< taskCount`) for `window`; windows must come in record order.
    func run(task: Int, window: RecordWindow) throws {
        guard let splitSink else {
            try collector.write(window, to: sink)
            return
        }
        let imageBytes = collector.layout.imageByteCount
        let pixels = UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: window.pixels[0..<(window.count * imageBytes)]))
        if task == 0 {
            splitSink.hashImages(pixels)
            collector.keepSmallTensors(of: window)
        } else {
            try splitSink.writeImages(pixels, atImageByte: window.first * imageBytes)
        }
    }
}
