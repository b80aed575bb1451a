import COpenBLAS
import Dispatch
import Foundation

/// The engine's one level of parallelism: `DispatchQueue.concurrentPerform` over independent work items, each
/// calling single-threaded sgemm (`GEMMLibrary`). Nesting GCD over multi-threaded BLAS is slower on these machines
/// (trainer.md, "Engine"), so `configure()` pins OpenBLAS to one thread and every oneDNN call pins the calling
/// thread's OpenMP team to one thread.
public enum EngineThreads {
    /// Number of workers the engine splits batch work into: the `FEDNC_THREADS` environment variable if it is a
    /// positive integer, otherwise the number of active processors. Fixed for the life of the process, so
    /// reductions over per-worker partial sums are deterministic run to run.
    public static let workerCount: Int = {
        if let text = ProcessInfo.processInfo.environment["FEDNC_THREADS"], let value = Int(text), value > 0 {
            return value
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Lazily evaluated exactly once (Swift globals and static lets are initialised atomically).
    private static let blasConfigured: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    /// Pins OpenBLAS to one thread and applies `AllocatorTuning` (large blocks stay on the malloc heap). Idempotent
    /// and cheap; every engine entry point that calls BLAS or splits work calls it, so callers need not, but a
    /// program may call it at start to make the choice explicit.
    public static func configure() {
        _ = blasConfigured
        _ = AllocatorTuning.applied
    }

    /// Runs `body(index)` for every index in `0..<count`, in parallel over up to `workerCount` threads.
    /// Runs inline when `count <= 1` or when there is one worker. `body` must only write memory that no other
    /// index writes.
    public static func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        configure()
        if count <= 0 { return }
        if count == 1 || workerCount == 1 {
            for index in 0..<count { body(index) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendableBox(escapable)
            DispatchQueue.concurrentPerform(iterations: count) { index in box.value(index) }
        }
    }

    /// Splits `0..<total` into `chunkCount` contiguous ranges of near-equal size (the first ones one longer)
    /// and runs `body(chunkIndex, range)` for each in parallel. Empty ranges are skipped.
    public static func parallelChunks(total: Int, chunkCount: Int = workerCount, _ body: (Int, Range<Int>) -> Void) {
        let chunks = max(1, min(chunkCount, total))
        parallelFor(chunks) { chunk in
            let range = chunkRange(chunk, of: chunks, total: total)
            if !range.isEmpty { body(chunk, range) }
        }
    }

    /// Elementwise work below this many elements runs inline: splitting costs more than it saves.
    public static let elementwiseGrain = 32_768

    /// Runs `body(range)` over contiguous element ranges tiling `0..<total`: one range per worker when `total`
    /// is at least `elementwiseGrain`, else the whole range inline. For elementwise loops (every element is
    /// computed alone, so the result does not depend on the split).
    public static func parallelElementwise(total: Int, _ body: (Range<Int>) -> Void) {
        if total <= 0 { return }
        if total < elementwiseGrain || workerCount == 1 {
            body(0..<total)
            return
        }
        parallelChunks(total: total) { _, range in body(range) }
    }

    /// The `chunk`-th of `chunkCount` contiguous near-equal ranges tiling `0..<total`.
    public static func chunkRange(_ chunk: Int, of chunkCount: Int, total: Int) -> Range<Int> {
        let base = total / chunkCount
        let extra = total % chunkCount
        let start = chunk * base + min(chunk, extra)
        let length = base + (chunk < extra ? 1 : 0)
        return start..<(start + length)
    }
}

/// Carries a non-Sendable closure into `concurrentPerform`. Safe because `parallelFor` documents that each index
/// writes disjoint memory and the closure does not outlive the call.
private struct UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
