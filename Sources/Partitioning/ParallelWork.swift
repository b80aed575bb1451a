import Foundation

/// Runs `count` independent jobs on `workers` threads (each thread takes the next job not yet started, in job
/// order) and returns their results in job order, or the error of the lowest-numbered failed job. Results never
/// depend on `workers` or on scheduling, provided each job's result depends only on its index.
enum ParallelWork {
    static func map<Output: Sendable>(count: Int, workers: Int,
                                      _ job: @Sendable (Int) throws(ShardError) -> Output) throws(ShardError) -> [Output] {
        let results = ResultSlots<Output>(count: count)
        let threads = max(1, min(workers, count))
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while let index = results.nextJob() {
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
    private var started = 0

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// The next job to run, or `nil` when all have started or one has failed.
    func nextJob() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard !failed, started < slots.count else { return nil }
        started += 1
        return started - 1
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
