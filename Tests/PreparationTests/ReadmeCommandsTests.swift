import Foundation
import Testing

/// Every data-side command of the README's "The flow" block runs as written, in a fresh folder, on the output of
/// `fednc-samples all --out samples` (the block's first line). `fednc-train` (trainer) and `histogram` (its own
/// tests) are left to their owners' suites.
@Suite("README commands")
struct ReadmeCommandsTests {
    @Test("the README's fednc-samples, converter and fednc-shards commands run as written on sample data")
    func readmeFlowRuns() throws {
        let readme = try String(contentsOf: try repositoryRoot().appendingPathComponent("README.md"), encoding: .utf8)
        let flow = try #require(readme.components(separatedBy: "## The flow").dropFirst().first)
        let block = try #require(flow.components(separatedBy: "```bash\n").dropFirst().first?.components(separatedBy: "```").first)
        let commands = block.split(separator: "\n").map { line in
            String(line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
                .split(separator: " ").map(String.init)
        }.filter { words in
            guard let tool = words.first else { return false }
            return tool.hasPrefix("fednc-") && tool != "fednc-train" && !(tool == "fednc-shards" && words[1] == "histogram")
        }
        #expect(commands.first?.first == "fednc-samples", "the block must start by writing the sample data")
        #expect(commands.count >= 8, "\(commands.map { $0.prefix(2) })")
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for words in commands {
            let process = Process()
            process.executableURL = try executable(words[0])
            process.arguments = Array(words.dropFirst())
            process.currentDirectoryURL = folder
            let errorFile = folder.appendingPathComponent(".stderr")
            FileManager.default.createFile(atPath: errorFile.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: errorFile)
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            let error = try String(contentsOf: errorFile, encoding: .utf8)
            #expect(process.terminationStatus == 0, "\(words.joined(separator: " ")): \(error)")
            if process.terminationStatus != 0 { return }
        }
    }
}
