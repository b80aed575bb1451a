import Foundation
import Preparation
import RawDatasets
import Safetensors
import SampleData
import Testing

/// A split whose records fail at chosen indices (everything else: a gray ramp, class index % K).
struct FlakyProducer: SplitRecordProducer {
    var splitName = "train"
    let recordCount: Int
    let failing: Set<Int>
    struct Broken: Error, CustomStringConvertible { let index: Int; var description: String { "image-\(index).jpg is undecodable" } }

    func recordName(_ index: Int) -> String { "image-\(index).jpg" }
    func produceRecord(_ index: Int, into slots: inout RecordSlots) throws {
        if failing.contains(index) { throw Broken(index: index) }
        for offset in 0..<slots.pixels.count { slots.pixels[offset] = UInt8(truncatingIfNeeded: index * 7 + offset) }
        slots.labels[index % slots.labels.count] = 1
        slots.sources = (Int64(index), -1)
    }
}

@Suite("Convert pipeline")
struct PipelineTests {
    private func request(_ producers: [any SplitRecordProducer], output: URL, workers: Int = 1, skipBad: Bool = false) -> PreparationRequest {
        PreparationRequest(datasetName: "flaky", classNames: ["a", "b", "c"],
                           layout: PreparedLayout(height: 5, width: 3, channels: 1, classCount: 3), splits: producers,
                           output: output, workers: workers, skipBadRecords: skipBad, tool: "test", toolVersion: "0",
                           flags: [:], seed: 0, rawInputs: [])
    }

    @Test("a failing record aborts the run naming it, and leaves no output folder (nor a staging one)")
    func failureLeavesNothing() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("prepared")
        let producer = FlakyProducer(recordCount: 3000, failing: [2500])
        let error = #expect(throws: PreparationError.self) {
            try PreparationPipeline.run(request([producer], output: output, workers: 2))
        }
        #expect(error?.description.contains("image-2500.jpg") == true)
        #expect(!FileManager.default.fileExists(atPath: output.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("--skip-bad drops failing records, keeps the order and lists them")
    func skipBad() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("prepared")
        let producer = FlakyProducer(recordCount: 10, failing: [3, 7])
        let summary = try PreparationPipeline.run(request([producer], output: output, workers: 2, skipBad: true))
        let split = try #require(summary.description.splits["train"])
        #expect(split.count == 8)
        #expect(split.skipped.count == 2 && split.skipped[0].hasPrefix("image-3.jpg"))
        let file = try SafetensorsFile(contentsOf: output.appendingPathComponent("train.safetensors"))
        #expect(try file.array(of: Int64.self, "sources") == [0, -1, 1, -1, 2, -1, 4, -1, 5, -1, 6, -1, 8, -1, 9, -1])
        let images = try file.array(of: UInt8.self, "images")
        #expect(images.count == 8 * 15)
        #expect(images[3 * 15] == UInt8(4 * 7))
    }

    @Test("an existing non-empty output folder is refused and left alone")
    func existingOutput() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("keep".utf8).write(to: folder.appendingPathComponent("keep.txt"))
        #expect(throws: PreparationError.self) {
            try PreparationPipeline.run(request([FlakyProducer(recordCount: 2, failing: [])], output: folder))
        }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("keep.txt").path))
    }

    @Test("CIFAR-10 composites: identical bytes with 1 and 2 workers; dataset.json checksums match the files")
    func deterministicAcrossWorkers() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try CIFAR10SampleWriter.write(to: folder.appendingPathComponent("raw"), perClass: 4, seed: 9)
        let archive = try CIFAR10Archive(path: folder.appendingPathComponent("raw/cifar-10-binary.tar.gz").path, allowShortBatches: true)
        let composite = CompositeOptions(mode: .pairwise, singlesPerClass: [.count(3), .count(2), .all],
                                         pairsPerCombination: [3, 1, 1], seed: 11)
        var outputs: [URL] = []
        for workers in [1, 2] {
            let output = folder.appendingPathComponent("out-\(workers)")
            let (request, _) = try CIFAR10Conversion.makeRequest(archive: archive, composite: composite, output: output,
                                                                 workers: workers, tool: "test", toolVersion: "0")
            let summary = try PreparationPipeline.run(request)
            #expect(summary.description.splits["train"]?.count == 30 + 45 * 3)
            #expect(summary.description.splits["test"]?.count == 40 + 45)
            outputs.append(output)
        }
        for name in ["train.safetensors", "val.safetensors", "test.safetensors", "dataset.json"] {
            let one = try Data(contentsOf: outputs[0].appendingPathComponent(name))
            let two = try Data(contentsOf: outputs[1].appendingPathComponent(name))
            #expect(one == two, "\(name) differs between 1 and 2 workers")
        }
        let check = try runPython("""
        import sys, json, hashlib, numpy as np
        from safetensors.numpy import load_file
        out = sys.argv[1]; raw = sys.argv[2]
        meta = json.load(open(out + '/dataset.json'))
        for split, info in meta['splits'].items():
            assert hashlib.sha256(open(out + '/' + info['file'], 'rb').read()).hexdigest() == info['sha256'], split
        t = load_file(out + '/train.safetensors')
        assert t['images'].shape == (165, 64, 64, 3) and t['labels'].shape == (165, 10) and t['sources'].shape == (165, 2)
        rec = np.concatenate([np.fromfile(raw + '/data_batch_%d.bin' % i, np.uint8).reshape(-1, 3073) for i in range(1, 5)])
        src = rec[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        def placements():
            for oy in range(8):
                for ox in range(8):
                    yield (oy, ox); yield (32 - oy, 32 - ox)
        def place(img, p):
            c = np.zeros((64, 64, 3), np.uint8); c[p[0]:p[0] + 32, p[1]:p[1] + 32] = img; return c
        for i in [0, 1, 29]:
            s = t['sources'][i][0]; assert t['sources'][i][1] == -1
            assert t['labels'][i].sum() == 1 and t['labels'][i][rec[s, 0]] == 1
            assert any((place(src[s], p) == t['images'][i]).all() for p in placements()), i
        i = 30 + 45 * 3 - 1
        a, b = t['sources'][i]
        assert list(np.nonzero(t['labels'][i])[0]) == sorted([rec[a, 0], rec[b, 0]])
        tl = [(oy, ox) for oy in range(8) for ox in range(8)]; br = [(32 - oy, 32 - ox) for oy, ox in tl]
        found = any((np.maximum(place(src[x], p), place(src[y], q)) == t['images'][i]).all()
                    for x, y in [(a, b), (b, a)] for p in tl for q in br)
        assert found
        print('ok')
        """, [outputs[0].path, folder.appendingPathComponent("raw/cifar-10-batches-bin").path])
        #expect(check.contains("ok"))
    }

    @Test("MedMNIST without composites: the file's own splits, one-hot labels, sources = index")
    func medmnistPlain() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try DermaMNISTSampleWriter.write(to: folder, perClass: 4, seed: 3)
        let archive = try MedMNISTArchive(path: path)
        let composite = CompositeOptions(mode: .none, singlesPerClass: [.all, .all, .all], pairsPerCombination: [0, 0, 0], seed: 0)
        let (request, warnings) = try MedMNISTConversion.makeRequest(
            archive: archive, classNames: nil, rawInputs: [], composite: composite,
            output: folder.appendingPathComponent("out"), workers: 2, tool: "test", toolVersion: "0")
        #expect(warnings.count == 1)
        let summary = try PreparationPipeline.run(request)
        #expect(summary.description.splits["train"]?.count == 28)
        #expect(summary.description.splits["val"]?.count == 14)
        #expect(summary.description.imageShape == [28, 28, 3])
        let file = try SafetensorsFile(contentsOf: folder.appendingPathComponent("out/val.safetensors"))
        let labels = try file.array(of: UInt8.self, "labels")
        let train = try #require(archive.split(named: "val"))
        for record in 0..<train.count {
            let row = Array(labels[(record * 7)..<((record + 1) * 7)])
            #expect(row.firstIndex(of: 1) == Int(train.labels[record]) && row.reduce(0, +) == 1)
        }
        let storage = try archive.loadImages(of: train)
        let images = try file.array(of: UInt8.self, "images")
        #expect(Array(images[(5 * 2352)..<(6 * 2352)]) == Array(storage.image(at: 5)))
    }
}
