import Foundation

/// Runs `count` independent jobs on `workers` threads (job `i` on worker `i mod workers`) and returns their
/// results in job order, or the error of the lowest-numbered failed job. Output never depends on `workers`.
enum ParallelWork {
    static func map<Output: Sendable>(count: Int, workers: Int,
                                      _ job: @Sendable (Int) throws(ShardError) -> Output) throws(ShardError) -> [Output] {
        let results = ResultSlots<Output>(count: count)
        let threads = max(1, min(workers, count))
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            for index in stride(from: worker, to: count, by: threads) {
                if results.hasFailure { return }
                results.store(Result { () throws(ShardError) in try job(index) }, at: index)
            }
        }
        return try results.collect()
    }
}

/// Lock-protected result slots shared by the worker threads.
private final class ResultSlots<Output: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Output, ShardError>?]
    private var failed = false

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    var hasFailure: Bool {
        lock.lock()
        defer { lock.unlock() }
        return failed
    }

    func store(_ result: Result<Output, ShardError>, at index: Int) {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = result
        if case .failure = result { failed = true }
    }

    func collect() throws(ShardError) -> [Output] {
        var outputs = [Output]()
        for slot in slots {
            switch slot {
            case let .success(output)?: outputs.append(output)
            case let .failure(error)?: throw error
            case nil: continue
            }
        }
        return outputs
    }
}
