import Foundation
import ProcessTestSupport
import Testing

/// The built `fednc-shards` executable, run as a user would.
@Suite("Partitioning fednc-shards command", .serialized)
struct FedNCShardsCommandTests {
    /// The folder holding built executables: `FEDNC_BIN_DIR`, else `<repo>/.build/release`.
    static func executable() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        let folder: URL
        if let binaries = environment["FEDNC_BIN_DIR"] {
            folder = URL(fileURLWithPath: binaries)
        } else {
            var root = environment["FEDNC_REPO_ROOT"].map { URL(fileURLWithPath: $0) }
                ?? URL(fileURLWithPath: #filePath)
            while root.path != "/", !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) {
                root = root.deletingLastPathComponent()
            }
            folder = root.appendingPathComponent(".build/release")
        }
        let url = folder.appendingPathComponent("fednc-shards")
        try #require(FileManager.default.isExecutableFile(atPath: url.path),
                     "build fednc-shards first (swift build -c release) or set FEDNC_BIN_DIR")
        return url
    }

    /// Runs `fednc-shards arguments` and returns (exit code, standard output, standard error).
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try ChildProcess.run(try executable(), arguments)
    }

    @Test func partitionHistogramVerifyInspect() throws {
        let scratch = try PreparedDatasetFixture.scratchFolder("command")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let prepared = try PreparedDatasetFixture.make(in: scratch)
        let shards = scratch.appendingPathComponent("shards").path
        let partition = try Self.run(["partition", "--dataset", prepared.path, "--out", shards, "--clients", "4",
                                      "--alpha", "inf", "--rho", "0.5", "--seed", "2", "--workers", "2", "--quiet"])
        #expect(partition.status == 0, "\(partition.error)")
        #expect(partition.output.hasPrefix("wrote 4 shards"))
        let manifest = try String(contentsOf: URL(fileURLWithPath: shards + "/partition.json"), encoding: .utf8)
        #expect(manifest.contains("\"alpha\" : \"inf\""))

        let csv = try Self.run(["histogram", shards, "--format", "csv", "--png", scratch.path + "/map.png"])
        #expect(csv.status == 0)
        #expect(csv.output.hasPrefix("client,size,emptyLabelSamples,maskedLabels,classSet,cat,dog,bird,fish,frog,horse\n"))
        #expect(csv.output.split(separator: "\n").count == 5)
        let png = try Data(contentsOf: scratch.appendingPathComponent("map.png"))
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))

        let clean = try Self.run(["verify", shards])
        #expect(clean.status == 0 && clean.output.hasPrefix("ok:"), "\(clean.output)\(clean.error)")

        let inspect = try Self.run(["inspect", shards + "/client-000.safetensors", "--rows", "2"])
        #expect(inspect.status == 0)
        #expect(inspect.output.contains("images: U8 ["))
        #expect(inspect.output.contains("classSet = ["))
        #expect(inspect.output.contains("(train row "))

        let url = URL(fileURLWithPath: shards + "/client-001.safetensors")
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count / 2] ^= 0x80
        try bytes.write(to: url)
        let damaged = try Self.run(["verify", shards])
        #expect(damaged.status == 3)
        #expect(damaged.output.contains("differs: client-001.safetensors: sha256 is"))
        #expect(damaged.error.hasPrefix("error: "))
    }

    /// `histogram --png` once removed a folder given as its path, recursively; it must refuse every path that is
    /// not an earlier PNG and leave it as it was.
    @Test func histogramFigureNeverDeletesWhatItDidNotWrite() throws {
        let scratch = try PreparedDatasetFixture.scratchFolder("figure")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let prepared = try PreparedDatasetFixture.make(in: scratch)
        let shards = scratch.appendingPathComponent("shards").path
        let partition = try Self.run(["partition", "--dataset", prepared.path, "--out", shards, "--clients", "2",
                                      "--alpha", "1", "--rho", "0.5", "--seed", "0", "--quiet"])
        #expect(partition.status == 0, "\(partition.error)")
        let manifestPath = shards + "/partition.json"
        let manifestBefore = try Data(contentsOf: URL(fileURLWithPath: manifestPath))
        let folderRun = try Self.run(["histogram", shards, "--png", shards])
        #expect(folderRun.status == 1)
        #expect(folderRun.error.contains("is a folder"), "\(folderRun.error)")
        #expect(FileManager.default.fileExists(atPath: manifestPath))
        #expect(FileManager.default.fileExists(atPath: shards + "/client-000.safetensors"))
        let fileRun = try Self.run(["histogram", shards, "--png", manifestPath])
        #expect(fileRun.status == 1)
        #expect(fileRun.error.contains("is not a PNG"), "\(fileRun.error)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: manifestPath)) == manifestBefore)
        let figure = scratch.appendingPathComponent("map.png").path
        for _ in 0..<2 {
            let write = try Self.run(["histogram", shards, "--png", figure])
            #expect(write.status == 0, "\(write.error)")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func badArgumentsAreRefused() throws {
        let bad = try Self.run(["partition", "--dataset", "/nonexistent", "--out", "/tmp/x", "--alpha", "-1",
                                "--rho", "0.5", "--seed", "0"])
        #expect(bad.status != 0)
        #expect(bad.error.contains("alpha"))
        let missing = try Self.run(["partition", "--dataset", "/nonexistent-prepared", "--out", "/tmp/fednc-none",
                                    "--alpha", "1", "--rho", "0.5", "--seed", "0", "--quiet"])
        #expect(missing.status == 1)
        #expect(missing.error.contains("/nonexistent-prepared/dataset.json does not exist"))
    }
}
