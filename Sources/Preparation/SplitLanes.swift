import Dispatch
import Foundation

/// Runs the splits of a conversion side by side on a few threads ("lanes"), so that one split's sequential
/// chain (its file is hashed and written front to back) overlaps the others instead of following them.
///
/// Splits go to lanes longest first, each to the lane with the fewest records so far; a lane converts its
/// splits in request order. Errors are those of a sequential run: the first failing split in request order is
/// reported; a split is not started once an earlier split (in request order) has failed.
package enum SplitLanes {
    /// Split indices per lane (at most `lanes` non-empty lanes), each lane ascending.
    package static func assign(recordCounts: [Int], lanes: Int) -> [[Int]] {
        let laneCount = max(1, min(lanes, recordCounts.count))
        var assignment = Array(repeating: [Int](), count: laneCount)
        var loads = Array(repeating: 0, count: laneCount)
        let longestFirst = recordCounts.indices.sorted { recordCounts[$0] > recordCounts[$1] || (recordCounts[$0] == recordCounts[$1] && $0 < $1) }
        for split in longestFirst {
            let lane = loads.indices.min { loads[$0] < loads[$1] || (loads[$0] == loads[$1] && $0 < $1) }!
            assignment[lane].append(split)
            loads[lane] += recordCounts[split]
        }
        return assignment.filter { !$0.isEmpty }.map { $0.sorted() }
    }

    /// Calls `convert(split)` for every split index `0 ..< recordCounts.count`, the lanes on their own threads,
    /// and returns the results in split order (or throws as described above).
    package static func run<Result: Sendable>(recordCounts: [Int], lanes: Int,
                                      convert: @escaping @Sendable (Int) throws -> Result) throws -> [Result] {
        let outcomes = LaneOutcomes<Result>(count: recordCounts.count)
        let assignment = assign(recordCounts: recordCounts, lanes: lanes)
        let finished = DispatchGroup()
        for (laneIndex, splits) in assignment.enumerated() {
            let lane: @Sendable () -> Void = {
                for split in splits where !outcomes.hasFailure(before: split) {
                    outcomes.record(split, Swift.Result { try convert(split) })
                }
            }
            if laneIndex == assignment.count - 1 {
                lane()
            } else {
                finished.enter()
                Thread.detachNewThread { lane(); finished.leave() }
            }
        }
        finished.wait()
        return try outcomes.inSplitOrder()
    }
}

/// The outcome of each split, written by the lane that ran it (guarded by a lock).
private final class LaneOutcomes<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [Result<Value, any Error>?]

    init(count: Int) { outcomes = Array(repeating: nil, count: count) }

    func record(_ split: Int, _ outcome: Result<Value, any Error>) {
        lock.withLock { outcomes[split] = outcome }
    }

    /// True when a split before `split` (in request order) has failed.
    func hasFailure(before split: Int) -> Bool {
        lock.withLock {
            outcomes[..<split].contains { if case .failure = $0 { true } else { false } }
        }
    }

    /// The values in split order, or the first failure in split order.
    func inSplitOrder() throws -> [Value] {
        try lock.withLock {
            try outcomes.map { outcome in
                guard let outcome else { preconditionFailure("a split was skipped although no earlier split failed") }
                return try outcome.get()
            }
        }
    }
}
