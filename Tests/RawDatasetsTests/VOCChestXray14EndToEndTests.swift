import Foundation
import Testing

/// The sample generators, the converters and the prepared files, run as a user would (built executables).
@Suite("VOC and ChestX-ray14 end to end", .serialized)
struct VOCChestXray14EndToEndTests {
    static let preparedFiles = ["dataset.json", "test.safetensors", "train.safetensors", "val.safetensors"]

    /// Converts with 1 and 2 workers, checks byte identity, the pinned SHA-256s and the independent checker.
    func convertTwiceAndCheck(kind: String, tool: String, raw: URL, in folder: URL) throws {
        var digests: [[String]] = []
        for workers in [1, 2] {
            let out = folder.appendingPathComponent("\(kind)-w\(workers)")
            try VOCChestXray14Tools.succeed(tool, ["--root", raw.path, "--out", out.path, "--size", "64",
                                                   "--workers", "\(workers)", "--quiet"])
            digests.append(try VOCChestXray14Tools.sha256(of: Self.preparedFiles.map { out.appendingPathComponent($0) }))
        }
        #expect(digests[0].count == 4 && digests[0] == digests[1])
        let golden = try VOCChestXray14Tools.golden(kind)
        #expect(Self.preparedFiles.map { golden[$0] ?? "missing" } == digests[0])
        let report = try VOCChestXray14Tools.check(kind: kind, raw: raw,
                                                   prepared: folder.appendingPathComponent("\(kind)-w2"))
        #expect(report["records"] == (kind == "voc" ? 100 : 80))
        #expect(report["maxPixelDifference"] == 0)
        #expect(report["labelMismatches"] == 0 && report["difficultMismatches"] == 0)
        #expect(report["splitMismatches"] == 0 && report["patientOverlaps"] == 0)
    }

    @Test func vocSamplesConvertDeterministicallyAndMatchPillow() throws {
        let folder = try VOCChestXray14Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try VOCChestXray14Tools.succeed("fednc-samples", ["voc", "--out", folder.path])
        let raw = folder.appendingPathComponent("VOCdevkit/VOC2012")
        try convertTwiceAndCheck(kind: "voc", tool: "fednc-voc", raw: raw, in: folder)
    }

    @Test func chestXray14SamplesConvertDeterministicallyAndMatchPillow() throws {
        let folder = try VOCChestXray14Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try VOCChestXray14Tools.succeed("fednc-samples", ["chestxray14", "--out", folder.path])
        let raw = folder.appendingPathComponent("ChestXray14")
        try convertTwiceAndCheck(kind: "chestxray14", tool: "fednc-chestxray14", raw: raw, in: folder)
    }

    @Test func badJPEGStopsTheRunOrIsSkipped() throws {
        let folder = try VOCChestXray14Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try VOCChestXray14Tools.succeed("fednc-samples", ["voc", "--out", folder.path])
        let raw = folder.appendingPathComponent("VOCdevkit/VOC2012")
        let trainList = try String(contentsOf: raw.appendingPathComponent("ImageSets/Main/train.txt"), encoding: .utf8)
        let id = try #require(trainList.split(separator: "\n").dropFirst(3).first)
        let jpeg = raw.appendingPathComponent("JPEGImages/\(id).jpg")
        try Data(contentsOf: jpeg).prefix(200).write(to: jpeg)

        let out = folder.appendingPathComponent("prepared")
        let failed = try VOCChestXray14Tools.run("fednc-voc", ["--root", raw.path, "--out", out.path, "--quiet"])
        #expect(failed.status != 0)
        #expect(failed.errors.contains("JPEGImages/\(id).jpg"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(leftovers.sorted() == ["VOCdevkit"], "nothing half-written may remain: \(leftovers)")

        try VOCChestXray14Tools.succeed("fednc-voc", ["--root", raw.path, "--out", out.path, "--size", "32",
                                                      "--skip-bad", "--quiet"])
        let description = try String(contentsOf: out.appendingPathComponent("dataset.json"), encoding: .utf8)
        #expect(description.contains("\"JPEGImages/\(id).jpg: cannot be decoded"))
        #expect(!description.contains(folder.path), "dataset.json must not hold absolute paths")
    }

    @Test func missingAndCorruptPNGsStopTheRunOrAreSkipped() throws {
        let folder = try VOCChestXray14Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try VOCChestXray14Tools.succeed("fednc-samples", ["chestxray14", "--out", folder.path])
        let raw = folder.appendingPathComponent("ChestXray14")
        let images = raw.appendingPathComponent("images_001/images")
        let names = try FileManager.default.contentsOfDirectory(atPath: images.path).sorted()
        try FileManager.default.removeItem(at: images.appendingPathComponent(names[0]))
        try Data("not a png".utf8).write(to: images.appendingPathComponent(names[1]))

        let out = folder.appendingPathComponent("prepared")
        let failed = try VOCChestXray14Tools.run("fednc-chestxray14", ["--root", raw.path, "--out", out.path])
        #expect(failed.status != 0)
        #expect(failed.errors.contains(names[0]) || failed.errors.contains(names[1]))
        #expect(!FileManager.default.fileExists(atPath: out.path))

        let result = try VOCChestXray14Tools.succeed("fednc-chestxray14", ["--root", raw.path, "--out", out.path,
                                                                           "--size", "32", "--skip-bad"])
        #expect(result.output.contains("78"))
        let description = try String(contentsOf: out.appendingPathComponent("dataset.json"), encoding: .utf8)
        #expect(description.contains("\"images/\(names[0]): file not found"))  // expected in images/
        #expect(description.contains("images_001/images/\(names[1]): cannot be decoded"))
    }

    @Test func withoutOfficialListsTheSplitIsSeededAndWarned() throws {
        let folder = try VOCChestXray14Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try VOCChestXray14Tools.succeed("fednc-samples", ["chestxray14", "--out", folder.path])
        let raw = folder.appendingPathComponent("ChestXray14")
        for list in ["train_val_list.txt", "test_list.txt"] {
            try FileManager.default.removeItem(at: raw.appendingPathComponent(list))
        }
        let out = folder.appendingPathComponent("prepared")
        let result = try VOCChestXray14Tools.succeed("fednc-chestxray14", ["--root", raw.path, "--out", out.path,
                                                                           "--size", "32"])
        #expect(result.errors.contains("warning: train_val_list.txt and test_list.txt not found"))
        // Warnings obey --quiet (issue 16).
        let quietOut = folder.appendingPathComponent("prepared-quiet")
        let quiet = try VOCChestXray14Tools.succeed("fednc-chestxray14", ["--root", raw.path, "--out", quietOut.path,
                                                                          "--size", "32", "--quiet"])
        #expect(!quiet.errors.contains("warning:") && quiet.output.isEmpty, "\(quiet.errors)")
        let description = try String(contentsOf: out.appendingPathComponent("dataset.json"), encoding: .utf8)
        #expect(description.contains("\"split\" : \"seeded\""))
    }

    @Test func listEntriesThatEscapeTheRootAreRefused() throws {
        let folder = try VOCChestXray14Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try VOCChestXray14Tools.succeed("fednc-samples", ["voc", "--out", folder.path])
        let raw = folder.appendingPathComponent("VOCdevkit/VOC2012")
        try Data("2012_000100\n../../../../etc/passwd\n".utf8)
            .write(to: raw.appendingPathComponent("ImageSets/Main/evil.txt"))
        let out = folder.appendingPathComponent("prepared")
        let result = try VOCChestXray14Tools.run("fednc-voc", ["--root", raw.path, "--out", out.path,
                                                               "--train-list", "evil", "--quiet"])
        #expect(result.status != 0)
        #expect(result.errors.contains("evil.txt, line 2"))
        let byName = try VOCChestXray14Tools.run("fednc-voc", ["--root", raw.path, "--out", out.path,
                                                               "--test-list", "../Main/val", "--quiet"])
        #expect(byName.status != 0 && byName.errors.contains("list name '../Main/val'"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
