import Foundation
import ProcessTestSupport
import Testing

/// Runs the built executables and Python for the VOC / ChestX-ray14 end-to-end tests.
enum VOCChestXray14Tools {
    struct Result {
        var status: Int32
        var output: String
        var errors: String
    }

    /// The repository root: `FEDNC_REPO_ROOT`, else found by walking up from this file.
    static var repositoryRoot: URL {
        if let root = ProcessInfo.processInfo.environment["FEDNC_REPO_ROOT"] { return URL(fileURLWithPath: root) }
        var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                return folder
            }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    /// Where the built executables are: `FEDNC_BIN_DIR`, else `<repo>/.build/release`.
    static var binaryFolder: URL { ChildProcess.binaryFolder(repositoryRoot: repositoryRoot) }

    /// Runs `executable` (a name in `binaryFolder`, or an absolute path) and collects its output.
    static func run(_ executable: String, _ arguments: [String]) throws -> Result {
        let url = executable.hasPrefix("/") ? URL(fileURLWithPath: executable)
            : binaryFolder.appendingPathComponent(executable)
        let outcome = try ChildProcess.run(url, arguments)
        return Result(status: outcome.status, output: outcome.output, errors: outcome.error)
    }

    /// Runs a tool that must succeed, recording its error output otherwise.
    @discardableResult
    static func succeed(_ executable: String, _ arguments: [String]) throws -> Result {
        let result = try run(executable, arguments)
        #expect(result.status == 0, "\(executable) \(arguments.joined(separator: " ")) failed: \(result.errors)")
        return result
    }

    /// A fresh temporary folder.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("voc-cxr-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// SHA-256 of each named file, via Python's hashlib (independent of the project's Checksums).
    static func sha256(of files: [URL]) throws -> [String] {
        let script = "import hashlib,sys\nfor p in sys.argv[1:]: print(hashlib.sha256(open(p,'rb').read()).hexdigest())"
        let result = try run("/usr/bin/env", ["python3", "-c", script] + files.map(\.path))
        return result.output.split(separator: "\n").map(String.init)
    }

    /// The independent checker's report (`tools/bench/voc-cxr-check.py`: Pillow, xml.etree, csv).
    static func check(kind: String, raw: URL, prepared: URL) throws -> [String: Int] {
        let script = repositoryRoot.appendingPathComponent("tools/bench/voc-cxr-check.py")
        let result = try run("/usr/bin/env", ["python3", script.path, kind, raw.path, prepared.path])
        #expect(result.status == 0, "checker failed: \(result.errors)")
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
        return (object as? [String: Int]) ?? [:]
    }

    /// The pinned SHA-256s of `data-manifests/golden/prepared-voc-cxr-samples.json` for `dataset`.
    static func golden(_ dataset: String) throws -> [String: String] {
        let url = repositoryRoot.appendingPathComponent("data-manifests/golden/prepared-voc-cxr-samples.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        let entry = object?[dataset] as? [String: Any]
        return (entry?["files"] as? [String: String]) ?? [:]
    }
}
