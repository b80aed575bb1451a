import ArgumentParser
import Foundation

/// How a failure is shown to the user: the `error: ...` line and the exit code.
public struct ErrorReport: Sendable, Equatable {
    /// The full line, `"error: "` followed by the error's description with control characters escaped
    /// (`TerminalText`; no trailing newline).
    public let message: String
    /// Non-zero exit code.
    public let exitCode: Int32

    /// The report for `error`: a `FedNCError` keeps its exit code; any other error exits with 1. The message is
    /// the error's description: `FedNCError.description`, `LocalizedError.errorDescription`, or else
    /// `String(describing:)` (which uses `CustomStringConvertible` when the error adopts it).
    public init(for error: any Error) {
        let text: String
        if let described = error as? any FedNCError {
            text = described.description
        } else if let localized = error as? any LocalizedError, let description = localized.errorDescription {
            text = description
        } else {
            text = String(describing: error)
        }
        let code = (error as? any FedNCError)?.exitCode ?? 1
        message = "error: " + TerminalText.escaped(text)
        exitCode = code == 0 ? 1 : code
    }

    /// True for the errors ArgumentParser reports itself: help (`--help` runs a built-in command whose `run()`
    /// throws an internal error), usage, validation, explicit exit codes.
    public static func isArgumentParserError(_ error: any Error) -> Bool {
        error is ExitCode || error is CleanExit || error is ValidationError
            || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}
