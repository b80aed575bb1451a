import CommandSupport
import Foundation
import Testing

@Suite("AtomicOutput")
struct AtomicOutputTests {
    private func makeParent() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func contents(of folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    @Test("folder: appears only on success, nothing left on failure")
    func folderCommitAndFailure() throws {
        let parent = try makeParent()
        defer { try? FileManager.default.removeItem(at: parent) }
        let destination = parent.appendingPathComponent("prepared")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try AtomicOutput.withFolder(at: destination) { folder in
                try Data("half".utf8).write(to: folder.appendingPathComponent("train.safetensors"))
                throw Boom()
            }
        }
        #expect(try contents(of: parent).isEmpty)
        try AtomicOutput.withFolder(at: destination) { folder in
            #expect(try contents(of: parent).count == 1)
            #expect(folder.lastPathComponent.hasPrefix(".prepared.partial-"))
            try Data("done".utf8).write(to: folder.appendingPathComponent("dataset.json"))
        }
        #expect(try contents(of: parent) == ["prepared"])
        #expect(try contents(of: destination) == ["dataset.json"])
    }

    @Test("a killed run's temporary sibling is removed by the next run; live or foreign ones are kept")
    func abandonedPartialOutputs() throws {
        let parent = try makeParent()
        defer { try? FileManager.default.removeItem(at: parent) }
        // A PID that surely belongs to no process: a child that has exited and been reaped.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let deadPID = child.processIdentifier
        let livePID = ProcessInfo.processInfo.processIdentifier
        let abandoned = ".prepared.partial-\(deadPID)-0badc0de"
        let kept = [".prepared.partial-\(livePID)-11111111", ".prepared.partial-legacyname",
                    ".other.partial-\(deadPID)-22222222"]
        for name in [abandoned] + kept {
            let folder = parent.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            try Data("half".utf8).write(to: folder.appendingPathComponent("train.safetensors"))
        }
        let destination = parent.appendingPathComponent("prepared")
        try AtomicOutput.withFolder(at: destination) { folder in
            #expect(folder.lastPathComponent.hasPrefix(".prepared.partial-\(livePID)-"))
            try Data("done".utf8).write(to: folder.appendingPathComponent("dataset.json"))
        }
        #expect(try contents(of: parent) == (kept + ["prepared"]).sorted())
    }

    @Test("existing destination: refused at creation and at commit, and never touched")
    func existingDestination() throws {
        let parent = try makeParent()
        defer { try? FileManager.default.removeItem(at: parent) }
        let destination = parent.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: false)
        try Data("old".utf8).write(to: destination.appendingPathComponent("old.txt"))
        #expect(throws: AtomicOutputError.destinationExists(path: destination.path)) {
            try AtomicOutput(.folder, at: destination)
        }
        #expect(try contents(of: destination) == ["old.txt"])

        let late = parent.appendingPathComponent("late")
        let output = try AtomicOutput(.folder, at: late)
        try Data("new".utf8).write(to: output.temporaryURL.appendingPathComponent("new.txt"))
        try FileManager.default.createDirectory(at: late, withIntermediateDirectories: false)
        try Data("theirs".utf8).write(to: late.appendingPathComponent("theirs.txt"))
        #expect(throws: AtomicOutputError.destinationExists(path: late.path)) { try output.commit() }
        #expect(try contents(of: late) == ["theirs.txt"])
        #expect(try contents(of: parent) == ["late", "out"])
    }

    @Test("file: written to a temporary path, renamed on commit, removed on discard")
    func fileOutput() throws {
        let parent = try makeParent()
        defer { try? FileManager.default.removeItem(at: parent) }
        let destination = parent.appendingPathComponent("report.json")
        let output = try AtomicOutput(.file, at: destination)
        try Data("{}".utf8).write(to: output.temporaryURL)
        #expect(!FileManager.default.fileExists(atPath: destination.path))
        try output.commit()
        #expect(try String(contentsOf: destination, encoding: .utf8) == "{}")
        let abandoned = try AtomicOutput(.file, at: parent.appendingPathComponent("other.json"))
        try Data("x".utf8).write(to: abandoned.temporaryURL)
        abandoned.discard()
        #expect(try contents(of: parent) == ["report.json"])
    }
}
