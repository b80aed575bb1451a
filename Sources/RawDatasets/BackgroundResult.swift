import Foundation

/// A throwing computation started on its own thread; `get()` waits for it and returns its value or rethrows its
/// error. Used to hash a raw file while the same file is being decoded on the calling thread.
///
/// The thread never outlives its owner: releasing a `BackgroundResult` (including while unwinding an error, before
/// `get()` was called) cancels the computation and waits until the thread has left `work`, so a process never
/// exits with the thread still inside a library (issue 16: an exit while the hashing thread was inside libcrypto
/// crashed about 2% of failed runs).
package final class BackgroundResult<Value: Sendable>: Sendable {
    private let state = BackgroundState<Value>()

    /// Starts `work` on a new thread. `work` should poll the cancellation it is given (for example by reading
    /// through a `CancellableSource`) so that a cancelled computation ends early; it is always waited for.
    package init(_ work: @escaping @Sendable (BackgroundCancellation) throws -> Value) {
        let state = self.state
        Thread.detachNewThread {
            state.finish(Result { try work(state.cancellation) })
        }
    }

    /// Starts `work`, which cannot be cancelled (it is still waited for on release).
    package convenience init(uncancellable work: @escaping @Sendable () throws -> Value) {
        self.init { _ in try work() }
    }

    /// The value, waiting until the computation has finished; rethrows its error.
    package func get() throws -> Value {
        try state.waitForOutcome().get()
    }

    /// Asks the computation to stop and waits until its thread has left `work`.
    package func cancelAndWait() {
        state.cancellation.cancel()
        _ = state.waitForOutcome()
    }

    deinit { cancelAndWait() }
}

/// A flag a background computation polls; set once by its owner.
package final class BackgroundCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    package init() {}

    /// True once `cancel()` was called.
    package var isCancelled: Bool { lock.withLock { cancelled } }

    /// Asks the computation to stop.
    package func cancel() { lock.withLock { cancelled = true } }

    /// Throws `CancellationError` once cancelled.
    package func check() throws {
        if isCancelled { throw CancellationError() }
    }
}

/// The outcome slot shared by a `BackgroundResult` and its thread (the thread holds this, not the result, so that
/// releasing the result runs its `deinit`).
private final class BackgroundState<Value: Sendable>: @unchecked Sendable {
    let cancellation = BackgroundCancellation()
    private let condition = NSCondition()
    private var outcome: Result<Value, any Error>?

    func finish(_ result: Result<Value, any Error>) {
        condition.withLock {
            outcome = result
            condition.broadcast()
        }
    }

    func waitForOutcome() -> Result<Value, any Error> {
        condition.withLock {
            while outcome == nil { condition.wait() }
            return outcome!
        }
    }
}

/// Passes another stream through, throwing `CancellationError` once `cancellation` is set (checked before every
/// read), so a background pass over a large file stops soon after its owner gives up.
package struct CancellableSource<Upstream: ByteSource>: ByteSource {
    package var origin: String { upstream.origin }
    private var upstream: Upstream
    private let cancellation: BackgroundCancellation

    package init(_ upstream: Upstream, cancellation: BackgroundCancellation) {
        self.upstream = upstream
        self.cancellation = cancellation
    }

    package mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try cancellation.check()
        return try upstream.read(into: buffer)
    }
}
