import Foundation
import TensorEngine

/// The engine's worker-thread count for a process (`--threads`). Results depend on it (reductions add per-worker
/// partial sums), so a run records it and every step runs with it. TensorEngine reads `FEDNC_THREADS` once, at its
/// first use; `use(_:)` sets that variable before then.
public enum EngineThreadCount {
    /// `FEDNC_THREADS` if it is a positive integer, else every active core: the default of `--threads`.
    public static var defaultCount: Int {
        if let text = ProcessInfo.processInfo.environment["FEDNC_THREADS"], let value = Int(text), value > 0 {
            return value
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The most engine threads a run may record (run.json is read as a file, not trusted): 4096.
    public static let maximumCount = 4096

    /// Makes the engine use `count` workers; call before any engine work. Throws when `count` is outside
    /// 1...`maximumCount` or the engine already fixed another count in this process.
    public static func use(_ count: Int) throws(TrainingError) {
        guard (1...maximumCount).contains(count) else {
            throw .invalidSetting("\(count) engine threads; use 1 to \(maximumCount)")
        }
        setenv("FEDNC_THREADS", String(count), 1)
        guard EngineThreads.workerCount == count else {
            throw .invalidSetting("the engine already runs \(EngineThreads.workerCount) threads in this process, "
                                  + "not \(count); set FEDNC_THREADS=\(count) before starting it")
        }
    }
}
