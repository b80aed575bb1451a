import Foundation

/// Runs a program to completion for tests that drive the built executables (or `python3`) from outside.
public enum ChildProcess {
    /// What a finished child process did.
    public typealias Outcome = (status: Int32, output: String, error: String)

    /// Runs `executable` with `arguments` and returns its exit status, standard output and standard error (UTF-8).
    /// Both pipes are drained at the same time, so a child that fills one of them never blocks on it.
    public static func run(_ executable: URL, _ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let errorReader = PipeDrain(error.fileHandleForReading)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errorReader.finish()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self),
                String(decoding: errorData, as: UTF8.self))
    }

    /// Where the built executables are: `FEDNC_BIN_DIR` (set by tools/test), else `<repo>/.build/release`.
    public static func binaryFolder(repositoryRoot: URL) -> URL {
        if let folder = ProcessInfo.processInfo.environment["FEDNC_BIN_DIR"] { return URL(fileURLWithPath: folder) }
        return repositoryRoot.appendingPathComponent(".build/release")
    }
}

/// Reads a pipe to its end on a background thread.
private final class PipeDrain: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }
    }

    /// Waits for the end of the pipe and returns everything read.
    func finish() -> Data {
        done.wait()
        return data
    }
}
