import ArgumentParser

/// The shared `--quiet` and `--verbose` flags and the warning line; pull it into a command with `@OptionGroup var progress: ProgressOptions`.
public struct ProgressOptions: ParsableArguments {
    /// Suppress progress lines (errors are still printed).
    @Flag(name: .long, help: "Print no progress, warnings or summary (errors are still printed).")
    public var quiet = false

    /// Also print developer details (phase timings) on standard error.
    @Flag(name: .long, help: "Also print developer details (phase timings) on standard error.")
    public var verbose = false

    public init() {}

    /// Writes `warning: <message>` on standard error (control characters escaped) unless `--quiet`.
    public func warn(_ message: String) {
        if !quiet { StandardError.write("warning: " + TerminalText.escaped(message) + "\n") }
    }

    /// Writes `message` on standard error only under `--verbose`.
    public func detail(_ message: String) {
        if verbose { StandardError.write(TerminalText.escaped(message) + "\n") }
    }

    /// A reporter honouring `--quiet`: silent, or `.automatic` (redrawn on a terminal, a line every 10 s
    /// otherwise).
    public func makeReporter(label: String, total: Int?, unit: String = "items") -> ProgressReporter {
        ProgressReporter(label: label, total: total, unit: unit, style: quiet ? .silent : .automatic)
    }
}
