import CommandSupport
import Foundation
import Testing

/// A clock and an output sink the test controls.
private final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var time = 0.0
    private var writes = [String]()

    var now: Double { lock.withLock { time } }
    func advanceClock(by seconds: Double) { lock.withLock { time += seconds } }
    func record(_ text: String) { lock.withLock { writes.append(text) } }
    var output: [String] { lock.withLock { writes } }
}

@Suite("ProgressReporter")
struct ProgressReporterTests {
    private func makeReporter(_ recorder: Recorder, style: ProgressReporter.Style, isTerminal: Bool,
                              total: Int? = 1000) -> ProgressReporter {
        ProgressReporter(label: "train", total: total, unit: "images", style: style, isTerminal: isTerminal,
                         now: { recorder.now }, sink: { recorder.record($0) })
    }

    @Test("line format: grouped counts, percentage, rate, ETA, h:mm:ss")
    func formatting() {
        #expect(ProgressLine.grouped(1_234_567) == "1,234,567")
        #expect(ProgressLine.grouped(999) == "999")
        #expect(ProgressLine.grouped(-1000) == "-1,000")
        #expect(ProgressLine.duration(3725) == "1:02:05")
        #expect(ProgressLine.running(label: "train", completed: 1234, total: 5000, unit: "images", elapsed: 4)
            == "train: 1,234/5,000 (24.7%)  308.5 images/s  ETA 0:00:12")
        #expect(ProgressLine.running(label: "x", completed: 10, total: nil, unit: "files", elapsed: 2)
            == "x: 10  5.0 files/s")
        #expect(ProgressLine.finished(label: "t", completed: 5000, total: 5000, unit: "images", elapsed: 16)
            == "t: 5,000/5,000 (100.0%)  312.5 images/s  in 0:00:16")
    }

    @Test("terminal: redraws in place at most every 0.1 s")
    func terminalThrottle() {
        let recorder = Recorder()
        let reporter = makeReporter(recorder, style: .automatic, isTerminal: true)
        for _ in 0..<100 {
            recorder.advanceClock(by: 0.01)
            reporter.advance()
        }
        // 100 updates over 1 s: the first one draws, then one per 0.1 s.
        let draws = recorder.output
        #expect(draws.count >= 9 && draws.count <= 11)
        #expect(draws.allSatisfy { $0.hasPrefix("\r\u{1B}[2K") && !$0.hasSuffix("\n") })
        reporter.finish()
        reporter.finish()
        #expect(recorder.output.count == draws.count + 1)
        #expect(recorder.output.last?.hasSuffix("in 0:00:01\n") == true)
        #expect(reporter.completedCount == 100)
    }

    @Test("not a terminal: a plain line every 10 s; silent prints nothing")
    func plainAndSilent() {
        let recorder = Recorder()
        let reporter = makeReporter(recorder, style: .automatic, isTerminal: false)
        for _ in 0..<250 {
            recorder.advanceClock(by: 0.1)
            reporter.advance()
        }
        #expect(recorder.output.count == 2)
        #expect(recorder.output.allSatisfy { $0.hasPrefix("train: ") && $0.hasSuffix("\n") })

        let quiet = Recorder()
        let silent = makeReporter(quiet, style: .silent, isTerminal: true)
        for _ in 0..<50 {
            quiet.advanceClock(by: 1)
            silent.update(completed: 10)
        }
        silent.finish()
        #expect(quiet.output.isEmpty)
    }

    @Test("note: own line, progress redrawn below it on a terminal; printed even when silent")
    func notes() {
        let recorder = Recorder()
        let reporter = makeReporter(recorder, style: .terminal, isTerminal: true)
        recorder.advanceClock(by: 1)
        reporter.advance(by: 10)
        reporter.note("warning: skipped 000123.jpg")
        #expect(recorder.output.last == "\r\u{1B}[2Kwarning: skipped 000123.jpg\n"
            + "train: 10/1,000 (1.0%)  10.0 images/s  ETA 0:01:39")
        let quiet = Recorder()
        makeReporter(quiet, style: .silent, isTerminal: false).note("warning: x")
        #expect(quiet.output == ["warning: x\n"])
    }
}
