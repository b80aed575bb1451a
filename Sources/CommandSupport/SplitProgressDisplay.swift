import Foundation

/// Progress of a conversion shown as one line per split (count, rate, ETA), fed by the convert pipeline's
/// `(split, done in split, split total)` callback. A split's line is finished when its last record is written.
/// Shared by the four converters (`fednc-cifar10`, `fednc-medmnist`, `fednc-voc`, `fednc-chestxray14`).
public final class SplitProgressDisplay: @unchecked Sendable {
    private let options: ProgressOptions
    private let lock = NSLock()
    private var reporters: [String: ProgressReporter] = [:]

    /// `options`: the tool's `--quiet` flag and terminal detection.
    public init(options: ProgressOptions) { self.options = options }

    /// The callback to set as the preparation request's `progress`.
    public var callback: @Sendable (String, Int, Int) -> Void {
        { [self] split, done, total in update(split: split, done: done, total: total) }
    }

    private func update(split: String, done: Int, total: Int) {
        lock.lock()
        let reporter = reporters[split] ?? options.makeReporter(label: split, total: total, unit: "images")
        reporters[split] = reporter
        lock.unlock()
        reporter.update(completed: done)
        if done == total { reporter.finish() }
    }
}
