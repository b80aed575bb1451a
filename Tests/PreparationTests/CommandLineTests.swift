import Foundation
import Testing

/// The built executables, end to end (tools/test sets FEDNC_BIN_DIR; otherwise `.build/release`).
@Suite("Converter executables")
struct CommandLineTests {
    @Test("sample data converts to the pinned SHA-256s of data-manifests/golden/prepared-samples.json")
    func goldenSamples() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let golden = try JSONSerialization.jsonObject(with: Data(contentsOf: try repositoryRoot()
            .appendingPathComponent("data-manifests/golden/prepared-samples.json"))) as? [String: Any]
        let expected = try #require(golden?["files"] as? [String: String])
        #expect(expected.count == 8)
        let raw = folder.appendingPathComponent("raw").path
        let samples = try run(try executable("fednc-samples"), ["all", "--out", raw, "--seed", "0"])
        try #require(samples.status == 0, "\(samples.error)")
        let cifar = try run(try executable("fednc-cifar10"), ["--raw", raw + "/cifar10/cifar-10-binary.tar.gz",
                                                              "--out", folder.appendingPathComponent("cifar10").path,
                                                              "--allow-short-batches", "--workers", "2", "--quiet"])
        try #require(cifar.status == 0, "\(cifar.error)")
        let derma = try run(try executable("fednc-medmnist"), ["--npz", raw + "/dermamnist/dermamnist.npz",
                                                               "--out", folder.appendingPathComponent("dermamnist").path, "--quiet"])
        try #require(derma.status == 0, "\(derma.error)")
        for (relative, sha256) in expected.sorted(by: { $0.key < $1.key }) {
            let actual = try run(URL(fileURLWithPath: "/usr/bin/sha256sum"), [folder.appendingPathComponent(relative).path])
            #expect(actual.output.hasPrefix(sha256), "\(relative) changed")
        }
    }

    @Test("a batch one byte short: exit status 1, the file named, no output folder")
    func shortBatchFails() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let raw = folder.appendingPathComponent("raw")
        let samples = try run(try executable("fednc-samples"), ["cifar10", "--out", raw.path, "--per-class", "2"])
        try #require(samples.status == 0)
        let victim = raw.appendingPathComponent("cifar-10-batches-bin/data_batch_2.bin")
        let handle = try FileHandle(forWritingTo: victim)
        try handle.truncate(atOffset: 20 * 3073 - 1)
        try handle.close()
        let output = folder.appendingPathComponent("prepared")
        let result = try run(try executable("fednc-cifar10"), ["--raw", raw.appendingPathComponent("cifar-10-batches-bin").path,
                                                               "--out", output.path, "--allow-short-batches"])
        #expect(result.status == 1)
        #expect(result.error.contains("data_batch_2.bin"))
        #expect(!FileManager.default.fileExists(atPath: output.path))
        let unflagged = try run(try executable("fednc-cifar10"), ["--raw", raw.appendingPathComponent("cifar-10-batches-bin").path,
                                                                  "--out", output.path])
        #expect(unflagged.status == 1 && unflagged.error.contains("--allow-short-batches"))
    }

    @Test("a truncated npz: exit status 1, the file named, no output folder")
    func truncatedNPZFails() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let raw = folder.appendingPathComponent("raw")
        _ = try run(try executable("fednc-samples"), ["dermamnist", "--out", raw.path])
        let npz = raw.appendingPathComponent("dermamnist.npz")
        let bytes = try Data(contentsOf: npz)
        try bytes.prefix(bytes.count - 100).write(to: npz)
        let output = folder.appendingPathComponent("prepared")
        let result = try run(try executable("fednc-medmnist"), ["--npz", npz.path, "--out", output.path])
        #expect(result.status == 1)
        #expect(result.error.contains("dermamnist.npz"))
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}
