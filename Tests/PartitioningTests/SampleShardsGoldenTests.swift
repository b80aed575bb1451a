import Checksums
import Foundation
import Testing

/// The built-in sample data, converted and partitioned by the built executables, must give exactly the shard files
/// recorded in data-manifests/golden/shards-samples.json (regenerate with tools/fixtures/update-shards-samples-golden).
@Suite("Partitioning sample shards golden", .serialized)
struct SampleShardsGoldenTests {
    struct Golden: Decodable {
        var files: [String: String]
    }

    static func repositoryRoot() -> URL {
        if let root = ProcessInfo.processInfo.environment["FEDNC_REPO_ROOT"] { return URL(fileURLWithPath: root) }
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url = url.deletingLastPathComponent()
        }
        return url
    }

    static func runTool(_ name: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = try FedNCShardsCommandTests.executable().deletingLastPathComponent()
            .appendingPathComponent(name)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(name) \(arguments.joined(separator: " ")) failed")
    }

    @Test func sampleShardsMatchGolden() throws {
        let goldenURL = Self.repositoryRoot().appendingPathComponent("data-manifests/golden/shards-samples.json")
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: goldenURL))
        let work = try PreparedDatasetFixture.scratchFolder("golden")
        defer { try? FileManager.default.removeItem(at: work) }
        let path = work.path
        try Self.runTool("fednc-samples", ["all", "--out", path + "/raw", "--seed", "0"])
        try Self.runTool("fednc-cifar10", ["--raw", path + "/raw/cifar10/cifar-10-binary.tar.gz", "--out",
                                           path + "/cifar10", "--allow-short-batches", "--quiet"])
        try Self.runTool("fednc-medmnist", ["--npz", path + "/raw/dermamnist/dermamnist.npz", "--out",
                                            path + "/dermamnist", "--quiet"])
        try Self.runTool("fednc-shards", ["partition", "--dataset", path + "/cifar10", "--out", path + "/shards-cifar10",
                                          "--alpha", "0.5", "--rho", "0.5", "--seed", "0", "--quiet"])
        try Self.runTool("fednc-shards", ["partition", "--dataset", path + "/dermamnist", "--out",
                                          path + "/shards-dermamnist", "--clients", "5", "--alpha", "inf", "--rho",
                                          "0.5", "--seed", "1", "--absent-labels", "mask", "--quiet"])
        var actual = [String: String]()
        for folder in ["shards-cifar10", "shards-dermamnist"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: path + "/" + folder) {
                let data = try Data(contentsOf: work.appendingPathComponent(folder).appendingPathComponent(name))
                actual[folder + "/" + name] = Checksums.sha256(of: data)
            }
        }
        #expect(actual.count == 17)
        for key in golden.files.keys.sorted() {
            #expect(actual[key] == golden.files[key], "\(key) differs from data-manifests/golden/shards-samples.json")
        }
        #expect(Set(actual.keys) == Set(golden.files.keys))
    }
}
