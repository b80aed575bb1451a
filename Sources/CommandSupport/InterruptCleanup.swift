#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Safetensors

/// Ctrl-C (SIGINT) and SIGTERM for the data tools: the unfinished output the command was writing (its hidden
/// `.NAME.partial-PID` staging folder or file, see `PartialOutputRegistry`) is removed, one line says so, and the
/// process exits with 128 + the signal number (130 for SIGINT, 143 for SIGTERM) without running exit handlers
/// (worker threads may still be inside a library). SIGKILL cannot be caught: `fednc-shards leftovers` lists and
/// removes what such runs leave.
public enum InterruptCleanup {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// Installs the handlers; call once, first thing in `main`, before any output is staged.
    public static func install() {
        for number in [SIGINT, SIGTERM] {
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let removed = PartialOutputRegistry.removeAll()
                let name = number == SIGINT ? "interrupted" : "terminated"
                let note = removed.isEmpty ? "" : " (removed the unfinished output \(removed.joined(separator: ", ")))"
                StandardError.write("\n\(name)\(TerminalText.escaped(note))\n")
                _exit(128 + number)
            }
            source.resume()
            signal(number, SIG_IGN)
            sources.append(source)
        }
    }
}
