import Dispatch
import Foundation

/// Runs independent per-image generator steps on all cores, keeping results in index order. Each step draws
/// from its own `"samples/.../<index>"` stream, so the files do not depend on the thread count.
enum VOCSampleParallel {
    /// `transform(i)` for `i` in `0..<count`, computed concurrently; the error of the lowest failing index is thrown.
    static func map<Result: Sendable>(count: Int, _ transform: @Sendable (Int) throws(VOCSampleWriteError) -> Result)
        throws(VOCSampleWriteError) -> [Result] {
        let results = ResultSlots<Result>(count: count)
        let threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count))
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            var index = thread
            while index < count {
                do throws(VOCSampleWriteError) {
                    results.store(.success(try transform(index)), at: index)
                } catch {
                    results.store(.failure(error), at: index)
                }
                index += threads
            }
        }
        return try results.collect()
    }

    /// One slot per index, each written by exactly one thread (raw storage: no shared array mutation).
    private final class ResultSlots<Element>: @unchecked Sendable {
        private let slots: UnsafeMutablePointer<Swift.Result<Element, VOCSampleWriteError>?>
        private let count: Int

        init(count: Int) {
            self.count = count
            slots = .allocate(capacity: max(1, count))
            slots.initialize(repeating: nil, count: max(1, count))
        }

        deinit {
            slots.deinitialize(count: max(1, count))
            slots.deallocate()
        }

        func store(_ result: Swift.Result<Element, VOCSampleWriteError>, at index: Int) {
            slots[index] = result
        }

        func collect() throws(VOCSampleWriteError) -> [Element] {
            var values: [Element] = []
            values.reserveCapacity(count)
            for index in 0..<count {
                switch slots[index] {
                case .success(let value)?: values.append(value)
                case .failure(let error)?: throw error
                case nil: preconditionFailure("sample step \(index) never ran")
                }
            }
            return values
        }
    }
}
