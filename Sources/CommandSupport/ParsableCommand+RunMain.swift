import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ParsableCommand {
    /// Parses the command line, runs the chosen (sub)command and exits. Argument errors, `--help` and
    /// `ValidationError`s are reported by ArgumentParser as usual; any other error thrown by `run()` becomes one
    /// `error: <description>` line on standard error and the exit code from `ErrorReport` (non-zero).
    ///
    /// Use it from the tool's entry point instead of `main()`:
    /// ```swift
    /// @main struct Main { static func main() { FedNCCifar10.runMain() } }
    /// ```
    public static func runMain(_ arguments: [String]? = nil) -> Never {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch {
            exitReporting(error)
        }
        Glibc.exit(0)
    }

    /// Reports `error` as `runMain()` does and terminates the process.
    public static func exitReporting(_ error: any Error) -> Never {
        if ErrorReport.isArgumentParserError(error) { exit(withError: error) }
        let report = ErrorReport(for: error)
        // Results already printed (a list the message refers to as "listed above") come first.
        fflush(nil)
        StandardError.write(report.message + "\n")
        Glibc.exit(report.exitCode)
    }
}

extension AsyncParsableCommand {
    /// The `async` counterpart of `ParsableCommand.runMain()`, for commands whose `run()` is `async`.
    public static func runMain(_ arguments: [String]? = nil) async -> Never {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exitReporting(error)
        }
        Glibc.exit(0)
    }
}
