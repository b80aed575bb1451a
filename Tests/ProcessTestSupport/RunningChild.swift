import Foundation

/// A child process left running while a test acts on it (signals, files), whose standard error is collected in a
/// file so it never blocks on a full pipe; standard output is discarded.
public final class RunningChild {
    public let process = Process()
    private let errorFile: URL

    public init(_ executable: URL, _ arguments: [String]) throws {
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("fednc-child-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: errorFile)
    }

    /// Waits up to `seconds` for the process to exit; true when it did.
    public func wait(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(2_000) }
        if process.isRunning { return false }
        process.waitUntilExit()
        return true
    }

    /// Everything written to standard error so far (UTF-8).
    public func standardError() -> String {
        (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
    }

    /// Whether `text` (a child's standard error) shows a crash report rather than an orderly exit.
    public static func looksCrashed(_ text: String) -> Bool {
        ["💣", "Program crashed", "Fatal error", "Segmentation", "Aborted", "Illegal instruction", "backtrace"]
            .contains { text.contains($0) }
    }
}
