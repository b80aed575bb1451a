import CommandSupport
import Dispatch
import Foundation

/// On Ctrl-C (SIGINT), prints the command that resumes the run, then exits with status 130. The checkpoint is
/// swapped in by renames, so an interrupt at any moment leaves a resumable run. The exit is `_exit` after flushing
/// standard output: `exit` would run exit handlers and static destructors while the engine's worker threads are
/// still inside a training step, which crashed about 3 runs in 10 (SIGSEGV after the notice).
final class InterruptNotice {
    private let source: any DispatchSourceSignal

    /// `arguments`: this process's command line; `--resume` is appended unless present. Before `runFolder` holds
    /// run.json, the notice says to rerun the command as it was.
    init(arguments: [String], runFolder: URL) {
        var command = arguments
        if !command.contains("--resume") { command.append("--resume") }
        let quoted = command.map { argument in
            argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+".contains($0) }
                ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let runJSON = runFolder.appendingPathComponent("run.json").path
        source.setEventHandler {
            if FileManager.default.fileExists(atPath: runJSON) {
                StandardError.write("\ninterrupted; the last completed round is checkpointed. Resume with:\n  \(quoted)\n")
            } else {
                StandardError.write("\ninterrupted before the run started; nothing was written\n")
            }
            fflush(nil)
            _exit(130)
        }
        source.resume()
    }

    deinit {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
