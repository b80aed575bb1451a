import CommandSupport
import Foundation

/// One progress line per split, fed by the pipeline's progress callback.
final class SplitProgressDisplay: @unchecked Sendable {
    private let options: ProgressOptions
    private let lock = NSLock()
    private var reporters: [String: ProgressReporter] = [:]

    init(options: ProgressOptions) { self.options = options }

    var callback: @Sendable (String, Int, Int) -> Void {
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
