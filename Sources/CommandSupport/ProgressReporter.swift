import Foundation

/// A progress line on standard error: `label: 12,345/50,000 (24.7%)  1,234.5 images/s  ETA 0:00:31`.
///
/// On a terminal the line is redrawn in place at most `terminalRedrawInterval` (0.1 s, so ~10 times a second);
/// otherwise a plain line is printed every `plainLineInterval` seconds (default 10), or nothing at all with
/// `.silent`. `finish()` prints the final line with the elapsed time. Safe to call from several threads (a lock
/// guards the counters); drawing happens on the calling thread.
public final class ProgressReporter: @unchecked Sendable {
    /// How progress is shown.
    public enum Style: Sendable, Equatable {
        /// `.terminal` when standard error is a TTY, otherwise `.plainLines(every: 10)`.
        case automatic
        /// Redraw one line in place (carriage return, erase line).
        case terminal
        /// A new line every so many seconds.
        case plainLines(every: Double)
        /// Print nothing.
        case silent
    }

    /// The shortest time between two redraws on a terminal, in seconds.
    public static let terminalRedrawInterval = 0.1

    /// What precedes the counts, e.g. `"train"`.
    public let label: String
    /// Total number of items, if known (no percentage or ETA otherwise).
    public let total: Int?
    /// Plural noun for the rate, e.g. `"images"`.
    public let unit: String

    private let style: Style
    private let now: @Sendable () -> Double
    private let sink: @Sendable (String) -> Void
    private let lock = NSLock()
    private let startTime: Double
    private var completed = 0
    private var lastDrawTime = -Double.infinity
    private var isFinished = false

    /// A reporter writing to standard error. `style: .automatic` picks by whether standard error is a terminal.
    public convenience init(label: String, total: Int?, unit: String = "items", style: Style = .automatic) {
        let monotonic: @Sendable () -> Double = {
            Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        }
        self.init(label: label, total: total, unit: unit, style: style, isTerminal: StandardError.isTerminal,
                  now: monotonic, sink: { StandardError.write($0) })
    }

    /// A reporter with an injected clock (seconds) and output, for tests.
    package init(label: String, total: Int?, unit: String, style: Style, isTerminal: Bool,
                 now: @escaping @Sendable () -> Double, sink: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.total = total
        self.unit = unit
        if style == .automatic {
            self.style = isTerminal ? .terminal : .plainLines(every: 10)
        } else {
            self.style = style
        }
        self.now = now
        self.sink = sink
        self.startTime = now()
    }

    /// Adds `count` finished items (default 1) and redraws if it is time to.
    public func advance(by count: Int = 1) {
        lock.lock()
        completed += count
        let output = drawIfDue(force: false)
        lock.unlock()
        if let output { sink(output) }
    }

    /// Sets the number of finished items and redraws if it is time to.
    public func update(completed newValue: Int) {
        lock.lock()
        completed = newValue
        let output = drawIfDue(force: false)
        lock.unlock()
        if let output { sink(output) }
    }

    /// Prints `message` on its own line without garbling the progress line: on a terminal the progress line is
    /// erased, the message printed, and the progress line drawn again below it. Also prints when `.silent`
    /// (warnings such as skipped records must not disappear with `--quiet`).
    public func note(_ message: String) {
        lock.lock()
        var output: String
        if style == .terminal {
            output = "\r\u{1B}[2K" + message + "\n"
            if !isFinished, lastDrawTime > -.infinity {
                output += ProgressLine.running(label: label, completed: completed, total: total, unit: unit,
                                               elapsed: now() - startTime)
            }
        } else {
            output = message + "\n"
        }
        lock.unlock()
        sink(output)
    }

    /// Items finished so far.
    public var completedCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return completed
    }

    /// Prints the final line (`label: 50,000/50,000 (100.0%)  1,234.5 images/s  in 0:00:40`) and a newline.
    /// Later calls do nothing.
    public func finish() {
        lock.lock()
        guard !isFinished else { lock.unlock(); return }
        isFinished = true
        let elapsed = now() - startTime
        let line = ProgressLine.finished(label: label, completed: completed, total: total, unit: unit,
                                         elapsed: elapsed)
        lock.unlock()
        switch style {
        case .silent: break
        case .terminal: sink("\r\u{1B}[2K" + line + "\n")
        case .plainLines, .automatic: sink(line + "\n")
        }
    }

    /// The text to write now, or `nil` if the throttle says not yet. Call with the lock held.
    private func drawIfDue(force: Bool) -> String? {
        guard !isFinished else { return nil }
        let time = now()
        let interval: Double
        switch style {
        case .silent, .automatic: return nil
        case .terminal: interval = Self.terminalRedrawInterval
        case .plainLines(let every): interval = every
        }
        guard force || time - lastDrawTime >= interval else { return nil }
        if case .plainLines = style, lastDrawTime == -.infinity, time - startTime < interval {
            lastDrawTime = startTime
            return nil
        }
        lastDrawTime = time
        let line = ProgressLine.running(label: label, completed: completed, total: total, unit: unit,
                                        elapsed: time - startTime)
        return style == .terminal ? "\r\u{1B}[2K" + line : line + "\n"
    }
}
