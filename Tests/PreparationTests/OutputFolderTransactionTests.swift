import Foundation
import Preparation
import Testing

/// A converter killed mid-run (SIGKILL: no chance to clean up) leaves `.<out>.partial-<pid>`; the next run for the
/// same `--out` removes it once that process is gone, and never touches a live run's folder.
@Suite("Output folder transaction")
struct OutputFolderTransactionTests {
    @Test func aKilledRunsStagingFolderIsRemovedByTheNextRun() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("transaction-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: parent) }
        // A converter-like child killed with SIGKILL while its staging folder exists.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sleep")
        child.arguments = ["30"]
        try child.run()
        let abandoned = parent.appendingPathComponent(".prepared.partial-\(child.processIdentifier)")
        try FileManager.default.createDirectory(at: abandoned, withIntermediateDirectories: false)
        try Data("half".utf8).write(to: abandoned.appendingPathComponent("train.safetensors"))
        let destination = parent.appendingPathComponent("prepared")

        // While it runs, its folder is left alone.
        let whileAlive = try OutputFolderTransaction(destination: destination)
        #expect(FileManager.default.fileExists(atPath: abandoned.path))
        whileAlive.discard()

        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        let transaction = try OutputFolderTransaction(destination: destination)
        #expect(!FileManager.default.fileExists(atPath: abandoned.path))
        try Data("{}".utf8).write(to: transaction.stagedFile("dataset.json"))
        try transaction.commit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["prepared"])
    }
}
