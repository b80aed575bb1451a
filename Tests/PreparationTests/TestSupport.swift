import Foundation
import ProcessTestSupport
import Preparation
import RawDatasets
import Testing

/// Hand-made sources: every image given explicitly (H x W x C bytes) with its single class.
struct HandMadeImages: SourceImageSet {
    let images: [[UInt8]]
    let classes: [Int]
    let height: Int
    let width: Int
    let channels: Int
    let labelWidth: Int

    var count: Int { images.count }
    func copyPixels(of index: Int, into output: UnsafeMutableBufferPointer<UInt8>) {
        for (offset, value) in images[index].enumerated() { output[offset] = value }
    }
    func copyLabels(of index: Int, into output: UnsafeMutableBufferPointer<UInt8>) { output[classes[index]] = 1 }
    func classIndex(of index: Int) -> Int? { classes[index] }
    func name(of index: Int) -> String { "hand-made \(index)" }
}

/// A fresh empty folder under the system's temporary directory.
func makeTemporaryFolder(_ label: String = #function) throws -> URL {
    let safe = label.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("fednc-preptests-\(safe)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The repository root: `FEDNC_REPO_ROOT`, else found by walking up from this file to `Package.swift`.
func repositoryRoot() throws -> URL {
    if let root = ProcessInfo.processInfo.environment["FEDNC_REPO_ROOT"] { return URL(fileURLWithPath: root) }
    var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while url.path != "/" {
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        url.deleteLastPathComponent()
    }
    struct NoRoot: Error {}
    throw NoRoot()
}

/// A built executable: in `FEDNC_BIN_DIR` (set by tools/test), else `.build/release` of the repository.
func executable(_ name: String) throws -> URL {
    let folder: URL
    if let binaries = ProcessInfo.processInfo.environment["FEDNC_BIN_DIR"] {
        folder = URL(fileURLWithPath: binaries)
    } else {
        folder = try repositoryRoot().appendingPathComponent(".build/release")
    }
    let url = folder.appendingPathComponent(name)
    try #require(FileManager.default.isExecutableFile(atPath: url.path), "build \(name) first (tools/test does)")
    return url
}

/// Runs a process; returns (exit status, standard output, standard error).
func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
    try ChildProcess.run(executable, arguments)
}

/// `python3 -c script args...` standard output.
func runPython(_ script: String, _ arguments: [String] = []) throws -> String {
    let result = try run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script] + arguments)
    try #require(result.status == 0, "python failed: \(result.error)")
    return result.output
}

/// The repository's copy of a real MedMNIST fixture (`Tests/RawDatasetsTests/Fixtures/NAME`).
func medmnistFixture(_ name: String) throws -> String {
    try repositoryRoot().appendingPathComponent("Tests/RawDatasetsTests/Fixtures/\(name)").path
}

/// Writes `folder/damaged.npz`: BreastMNIST with bytes `range` of `member`'s compressed data XOR-ed with 0xA5.
func damagedBreastMNIST(in folder: URL, member name: String, range: Range<Int>) throws -> URL {
    let source = try medmnistFixture("breastmnist.npz")
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source)))
    let member = try ZipArchive(path: source).member(named: name)
    let dataStart = member.localHeaderOffset + 30 + member.name.utf8.count
    for index in range { bytes[dataStart + index] ^= 0xA5 }
    let path = folder.appendingPathComponent("damaged.npz")
    try Data(bytes).write(to: path)
    return path
}
