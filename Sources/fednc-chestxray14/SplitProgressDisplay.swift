import CommandSupport
import Foundation

/// One progress line (count, rate, ETA) over all splits of a conversion, fed by the pipeline's
/// `(split, done in split, split total)` callback.
final class SplitProgressDisplay: @unchecked Sendable {
    private let reporter: ProgressReporter
    /// Records in the splits written before each split.
    private let offsets: [String: Int]

    /// `splits`: (name, records) in writing order.
    init(options: ProgressOptions, splits: [(split: String, count: Int)]) {
        var offsets: [String: Int] = [:]
        var total = 0
        for (split, count) in splits {
            offsets[split] = total
            total += count
        }
        self.offsets = offsets
        reporter = options.makeReporter(label: "converting", total: total, unit: "images")
    }

    /// The callback to set as the request's `progress`.
    var callback: @Sendable (String, Int, Int) -> Void {
        { [self] split, done, _ in reporter.update(completed: (offsets[split] ?? 0) + done) }
    }

    /// Prints the final line.
    func finish() { reporter.finish() }
}
