import Foundation
import Imaging
import Partitioning
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

    /// Partitions the fixture dataset over 2 clients into `scratch/shards`; returns that folder's path.
    static func twoClientShards(in scratch: URL) throws -> String {
        let prepared = try PreparedDatasetFixture.make(in: scratch)
        let shards = scratch.appendingPathComponent("shards").path
        let partition = try run(["partition", "--dataset", prepared.path, "--out", shards, "--clients", "2",
                                 "--alpha", "1", "--rho", "0.5", "--seed", "0", "--quiet"])
        try #require(partition.status == 0, "\(partition.error)")
        return shards
    }

    /// `histogram --png` once removed a folder given as its path, recursively. A figure path may now only replace
    /// a figure of the same kind that `fednc-shards histogram` wrote (its PNG tEXt marker, its SVG comment): a
    /// folder, a link, a FIFO, another PNG, the manifest are refused and left as they were.
    @Test func histogramFigureNeverDeletesWhatItDidNotWrite() throws {
        let scratch = try PreparedDatasetFixture.scratchFolder("figure")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let shards = try Self.twoClientShards(in: scratch)
        let manifestPath = shards + "/partition.json"
        let manifestBefore = try Data(contentsOf: URL(fileURLWithPath: manifestPath))
        for flag in ["--png", "--svg"] {
            let folderRun = try Self.run(["histogram", shards, flag, shards])
            #expect(folderRun.status == 1)
            #expect(folderRun.error.contains("is a folder"), "\(folderRun.error)")
        }
        #expect(FileManager.default.fileExists(atPath: shards + "/client-000.safetensors"))
        let fileRun = try Self.run(["histogram", shards, "--png", manifestPath])
        #expect(fileRun.status == 1)
        #expect(fileRun.error.contains("is not a PNG figure written by fednc-shards histogram"), "\(fileRun.error)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: manifestPath)) == manifestBefore)

        // Someone else's PNG (valid, but without the marker) is not replaced either.
        let photo = scratch.appendingPathComponent("photo.png")
        let photoBytes = Data(try PNGEncoder().encode(Image(height: 2, width: 2, channels: 3, pixels: [UInt8](repeating: 9, count: 12))))
        try photoBytes.write(to: photo)
        let photoRun = try Self.run(["histogram", shards, "--png", photo.path])
        #expect(photoRun.status == 1 && photoRun.error.contains("is not a PNG figure"), "\(photoRun.error)")
        #expect(try Data(contentsOf: photo) == photoBytes)

        let link = scratch.appendingPathComponent("link.png").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: photo.path)
        let linkRun = try Self.run(["histogram", shards, "--svg", link])
        #expect(linkRun.status == 1 && linkRun.error.contains("is a symbolic link"), "\(linkRun.error)")
        let fifo = scratch.appendingPathComponent("fifo.svg").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let fifoRun = try Self.run(["histogram", shards, "--svg", fifo])
        #expect(fifoRun.status == 1 && fifoRun.error.contains("is a FIFO"), "\(fifoRun.error)")

        // Our own figures are replaced, each only by its own kind; a refusal of one writes neither.
        let figure = scratch.appendingPathComponent("map.png").path
        let vector = scratch.appendingPathComponent("map.svg").path
        for _ in 0..<2 {
            let write = try Self.run(["histogram", shards, "--png", figure, "--svg", vector])
            #expect(write.status == 0, "\(write.error)")
        }
        let svgBefore = try Data(contentsOf: URL(fileURLWithPath: vector))
        #expect(String(decoding: svgBefore, as: UTF8.self).contains("<!-- fednc-shards histogram figure -->"))
        let crossed = try Self.run(["histogram", shards, "--png", scratch.path + "/new.png", "--svg", figure])
        #expect(crossed.status == 1 && crossed.error.contains("is not an SVG figure"), "\(crossed.error)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/new.png"))
        let nowhere = try Self.run(["histogram", shards, "--svg", scratch.path + "/missing/map.svg"])
        #expect(nowhere.status == 1 && nowhere.error.contains("check that the folder exists"), "\(nowhere.error)")
        #expect(try Self.run(["histogram", shards, "--png", ""]).status != 0)
        let same = try Self.run(["histogram", shards, "--png", figure, "--svg", figure])
        #expect(same.status != 0 && same.error.contains("name the same file"), "\(same.error)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.contains(".partial-") }
        #expect(leftovers.isEmpty)
    }

    /// A partition.json with fields that disagree once trapped `histogram` (SIGILL); it must give one error line.
    @Test func histogramRefusesInconsistentManifests() throws {
        let scratch = try PreparedDatasetFixture.scratchFolder("bad-manifest")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let shards = try Self.twoClientShards(in: scratch)
        let url = URL(fileURLWithPath: shards + "/partition.json")
        let original = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        func edited(_ change: (inout [String: Any]) -> Void) throws {
            var object = original
            change(&object)
            try JSONSerialization.data(withJSONObject: object).write(to: url)
        }
        func firstClient(_ change: @escaping (inout [String: Any]) -> Void) -> (inout [String: Any]) -> Void {
            { object in
                var clients = object["clients"] as! [[String: Any]]
                change(&clients[0])
                object["clients"] = clients
            }
        }
        let cases: [(String, [String], (inout [String: Any]) -> Void)] = [
            ("clients[0].classCounts has 5 entries for 6 class names", [],
             firstClient { $0["classCounts"] = Array(($0["classCounts"] as! [Int]).dropLast()) }),
            ("clients[0].classCounts has 7 entries for 6 class names", [],
             firstClient { $0["classCounts"] = ($0["classCounts"] as! [Int]) + [1] }),
            ("clients[0].classCounts[2] is -3", ["--normalize"],
             firstClient { var counts = $0["classCounts"] as! [Int]; counts[2] = -3; $0["classCounts"] = counts }),
            ("clients[0].classSet names class 6", ["--png", scratch.path + "/x.png"],
             firstClient { $0["classSet"] = [6] }),
            ("clients[0].size has the wrong type", [], firstClient { $0["size"] = "many" }),
            ("clients[0].size is out of range", [], firstClient { $0["size"] = 1e300 }),
            ("totals is missing", [], { $0["totals"] = nil }),
        ]
        for (message, extra, change) in cases {
            try edited(change)
            let run = try Self.run(["histogram", shards] + extra)
            #expect(run.status == 1, "\(message): status \(run.status)")
            #expect(run.error.hasPrefix("error: " + url.path + ": ") && run.error.contains(message), "\(run.error)")
            #expect(run.error.contains("re-create the shards with fednc-shards partition"), "\(run.error)")
            #expect(!run.error.contains("Swift") && !run.error.contains("CodingKeys"), "\(run.error)")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/x.png"))
    }

    /// A 20,000-client histogram was once a 777 MB PNG: the figure draws at most 100 clients and says so.
    @Test func histogramFigureIsCappedWithANote() throws {
        let scratch = try PreparedDatasetFixture.scratchFolder("figure-cap")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let shards = try Self.twoClientShards(in: scratch)
        let url = URL(fileURLWithPath: shards + "/partition.json")
        let manifest = try PartitionManifest.read(shardsFolder: URL(fileURLWithPath: shards))
        try HistogramFigureTests.enlarged(manifest, clients: 2_000, classes: 6).encodedJSON().write(to: url)
        let figure = scratch.appendingPathComponent("large.png")
        let run = try Self.run(["histogram", shards, "--format", "csv", "--png", figure.path])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.split(separator: "\n").count == 2_001)
        #expect(run.error == "note: not drawn: clients 100-1999 (1900 of 2000), listed by fednc-shards histogram "
            + "--format csv (a figure draws at most 100 clients and 100 classes)\n")
        let image = try PNGDecoder().decode(Data(contentsOf: figure))
        #expect(image.width < 3_200 && image.height < 1_000, "\(image.width)x\(image.height)")
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
