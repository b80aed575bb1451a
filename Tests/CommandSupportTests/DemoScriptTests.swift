import Foundation
import ProcessTestSupport
import Testing

/// `tools/demo DIR` once ran `rm -rf DIR` whatever DIR was; it may replace only a folder an earlier demo made.
/// These cases are refused before any set-up or build, so they run in well under a second.
@Suite("tools/demo output folder")
struct DemoScriptTests {
    static func demoScript() throws -> URL {
        var root = ProcessInfo.processInfo.environment["FEDNC_REPO_ROOT"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath)
        while root.path != "/", !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
            root = root.deletingLastPathComponent()
        }
        return root.appendingPathComponent("tools/demo")
    }

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fednc-demo-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func refusesAFolderItDidNotMake() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let precious = scratch.appendingPathComponent("thesis")
        try FileManager.default.createDirectory(at: precious, withIntermediateDirectories: true)
        try Data("chapter 1".utf8).write(to: precious.appendingPathComponent("chapter1.txt"))
        let run = try ChildProcess.run(URL(fileURLWithPath: "/bin/bash"), [try Self.demoScript().path, precious.path])
        #expect(run.status == 1)
        #expect(run.error.contains("was not made by tools/demo"), "\(run.error)")
        #expect(try String(contentsOf: precious.appendingPathComponent("chapter1.txt"), encoding: .utf8) == "chapter 1")
    }

    @Test func refusesAFileOrALink() throws {
        let scratch = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("notes.txt")
        try Data("keep".utf8).write(to: file)
        let link = scratch.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: scratch)
        for target in [file, link] {
            let run = try ChildProcess.run(URL(fileURLWithPath: "/bin/bash"), [try Self.demoScript().path, target.path])
            #expect(run.status == 1)
            #expect(run.error.contains("not a folder"), "\(run.error)")
        }
        #expect(try String(contentsOf: file, encoding: .utf8) == "keep")
    }
}
