import Foundation
import RawDatasets
import Testing

@Suite("Background results")
struct BackgroundResultTests {
    struct Failed: Error, Equatable {}

    @Test("get() returns the value computed on the other thread, every time; a thrown error is rethrown")
    func valueAndError() throws {
        let sum = BackgroundResult(uncancellable: { (1...1_000).reduce(0, +) })
        #expect(try sum.get() == 500_500)
        #expect(try sum.get() == 500_500)
        let failing = BackgroundResult<Int>(uncancellable: { throw Failed() })
        #expect(throws: Failed()) { try failing.get() }
    }

    /// The old result detached its thread and nothing waited for it: released before `get()`, its thread was
    /// still running afterwards. Now release cancels and joins, so the work has ended when the scope ends.
    @Test("releasing a result without get() cancels its work and waits until the thread has left it")
    func releaseJoins() throws {
        let finished = Flag()
        do {
            let started = Flag()
            let spinning = BackgroundResult<Int> { cancellation in
                started.set()
                defer { finished.set() }
                while !cancellation.isCancelled { usleep(1_000) }
                throw CancellationError()
            }
            while !started.value { usleep(1_000) }
            _ = spinning
        }
        #expect(finished.value)
    }

    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var raised = false
        var value: Bool { lock.withLock { raised } }
        func set() { lock.withLock { raised = true } }
    }
}
