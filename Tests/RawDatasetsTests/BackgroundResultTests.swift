import RawDatasets
import Testing

@Suite("Background results")
struct BackgroundResultTests {
    struct Failed: Error, Equatable {}

    @Test("get() returns the value computed on the other thread, every time; a thrown error is rethrown")
    func valueAndError() throws {
        let sum = BackgroundResult { (1...1_000).reduce(0, +) }
        #expect(try sum.get() == 500_500)
        #expect(try sum.get() == 500_500)
        let failing = BackgroundResult<Int> { throw Failed() }
        #expect(throws: Failed()) { try failing.get() }
    }
}
