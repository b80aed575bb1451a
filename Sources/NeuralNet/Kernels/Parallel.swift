import Dispatch
import Foundation

/// Data-parallel loops over the machine's cores (GCD), with a fixed assignment of work to workers so results do
/// not depend on scheduling.
enum Parallel {
    /// Active cores.
    static let workerCount = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Runs `body(index)` for every index in `0..<count`, spread over the cores.
    static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if count <= 1 {
            if count == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
        }
    }

    /// Splits `0..<count` into `min(count, workers)` contiguous ranges and runs `body(worker, range)` on each.
    static func forEachRange(_ count: Int, workers: Int = workerCount, _ body: (Int, Range<Int>) -> Void) {
        let parts = max(1, min(count, workers))
        forEach(parts) { part in
            let start = count * part / parts
            let end = count * (part + 1) / parts
            body(part, start..<end)
        }
    }
}

/// Carries a non-Sendable value into a concurrent loop whose iterations touch disjoint memory.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
