import Foundation

/// A value computed on a thread of its own (started at once), collected later with `wait()`: used to hash raw
/// inputs while the splits are written, so that the hash does not delay the first output byte.
final class BackgroundResult<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Value, any Error>?

    init(_ work: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            result = Result { try work() }
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Blocks until the work has finished; returns its value or rethrows its error (again on every call).
    func wait() throws -> Value {
        done.wait()
        done.signal()
        return try result!.get()
    }
}
