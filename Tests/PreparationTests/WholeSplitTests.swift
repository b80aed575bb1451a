import Foundation
import Preparation
import RawDatasets
import SampleData
import Testing

@Suite("MedMNIST splits written whole (inflated into the mapped file)")
struct WholeSplitTests {
    /// Converts `npz` without composites, with whole splits allowed (2 workers) or not (record windows).
    private func convert(_ npz: String, to output: URL, wholeSplits: Bool) throws -> PreparationSummary {
        let archive = try MedMNISTArchive(path: npz)
        let composite = CompositeOptions(mode: .none, singlesPerClass: [.all, .all, .all], pairsPerCombination: [0, 0, 0], seed: 0)
        var (request, _) = try MedMNISTConversion.makeRequest(
            archive: archive, classNames: nil, rawInputs: [], composite: composite, output: output,
            workers: wholeSplits ? 2 : 1, tool: "test", toolVersion: "0")
        request.allowsWholeSplits = wholeSplits
        return try PreparationPipeline.run(request)
    }

    private func expectSameBytesBothWays(_ npz: String) throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = try convert(npz, to: folder.appendingPathComponent("whole"), wholeSplits: true)
        let windows = try convert(npz, to: folder.appendingPathComponent("windows"), wholeSplits: false)
        #expect(whole.description == windows.description)
        for split in ["train", "val", "test"] {
            let a = try Data(contentsOf: folder.appendingPathComponent("whole/\(split).safetensors"))
            let b = try Data(contentsOf: folder.appendingPathComponent("windows/\(split).safetensors"))
            #expect(a == b, "\(split).safetensors differs")
        }
    }

    @Test("published BreastMNIST (DEFLATE, gray): the same files as the record windows")
    func breastMNIST() throws {
        let npz = try medmnistFixture("breastmnist.npz")
        let archive = try MedMNISTArchive(path: npz)
        let layout = PreparedLayout(height: 28, width: 28, channels: 1, classCount: 2)
        for split in archive.splits {
            #expect(try StreamingMedMNISTSplitProducer(archive: archive, split: split, classCount: 2).canWriteWholeSplit(layout: layout))
        }
        try expectSameBytesBothWays(npz)
    }

    @Test("PneumoniaMNIST subset (STORED members): the same files as the record windows")
    func storedMembers() throws {
        try expectSameBytesBothWays(try medmnistFixture("pneumoniamnist_subset_stored.npz"))
    }

    @Test("sample DermaMNIST (RGB, 7 classes): the same files as the record windows")
    func sampleRGB() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try expectSameBytesBothWays(try DermaMNISTSampleWriter.write(to: folder, perClass: 9, seed: 5))
    }

    @Test("a split of fewer than 8 records has no room for the .npy header and takes the record windows")
    func tinySplitDeclines() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var writer = NPZWriter()
        for (split, count) in [("train", 8), ("val", 7), ("test", 1)] {
            writer.addUInt8Array("\(split)_images", shape: [count, 4, 4], values: (0..<(count * 16)).map { UInt8($0 % 251) })
            writer.addUInt8Array("\(split)_labels", shape: [count, 1], values: (0..<count).map { UInt8($0 % 2) })
        }
        let path = folder.appendingPathComponent("tiny.npz")
        try Data(try writer.archive(compression: .deflate)).write(to: path)
        let archive = try MedMNISTArchive(path: path.path)
        let layout = PreparedLayout(height: 4, width: 4, channels: 1, classCount: 2)
        let accepts = try archive.splits.map { try StreamingMedMNISTSplitProducer(archive: archive, split: $0, classCount: 2).canWriteWholeSplit(layout: layout) }
        #expect(accepts == [true, false, false])
        try expectSameBytesBothWays(path.path)
    }

    @Test("multi-label labels (N, L) stay multi-hot and match the record windows byte for byte")
    func multiLabel() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var writer = NPZWriter()
        for (split, count) in [("train", 40), ("val", 12), ("test", 9)] {
            writer.addUInt8Array("\(split)_images", shape: [count, 6, 5], values: (0..<(count * 30)).map { UInt8(($0 * 7) % 256) })
            writer.addUInt8Array("\(split)_labels", shape: [count, 3], values: (0..<(count * 3)).map { UInt8(($0 * 5 / 3) % 2) })
        }
        let path = folder.appendingPathComponent("chestlike.npz")
        try Data(try writer.archive(compression: .deflate)).write(to: path)
        try expectSameBytesBothWays(path.path)
        let summary = try convert(path.path, to: folder.appendingPathComponent("check"), wholeSplits: true)
        let labels = try MedMNISTArchive(path: path.path).splits[0].labels
        #expect(summary.description.splits["train"]?.classCounts == (0..<3).map { column in
            stride(from: column, to: labels.count, by: 3).filter { labels[$0] == 1 }.count
        })
    }

    @Test("a corrupt images member fails naming file and member, and leaves no output folder")
    func corruptMember() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try damagedBreastMNIST(in: folder, member: "test_images.npy", range: 3000..<3300)
        let output = folder.appendingPathComponent("out")
        let error = #expect(throws: InflateError.self) { try convert(path.path, to: output, wholeSplits: true) }
        #expect(error?.description.contains("damaged.npz:test_images.npy") == true)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(left == ["damaged.npz"])
    }
}
