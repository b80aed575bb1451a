import Foundation

/// A throwing computation started on its own thread; `get()` waits for it and returns its value or rethrows its
/// error. Used to hash a raw file while the same file is being decoded on the calling thread.
package final class BackgroundResult<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var outcome: Result<Value, any Error>?

    /// Starts `work` on a new thread.
    package init(_ work: @escaping @Sendable () throws -> Value) {
        Thread.detachNewThread { [self] in
            let result = Result { try work() }
            condition.withLock {
                outcome = result
                condition.broadcast()
            }
        }
    }

    /// The value, waiting until the computation has finished; rethrows its error.
    package func get() throws -> Value {
        try condition.withLock {
            while outcome == nil { condition.wait() }
            return try outcome!.get()
        }
    }
}
