import Foundation
import Imaging
import RawDatasets
import SampleData
import Testing

@Suite("VOC and ChestX-ray14 sample data")
struct VOCChestXray14SampleTests {
    @Test func vocSamplesHoldEveryJPEGKindAndAnnotationFeature() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("voc-samples-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = try VOCSampleGenerator.write(to: folder, options: VOCSampleOptions(trainCount: 30, validationCount: 12))
        let dataset = try VOCDataset(root: root, classNames: VOCSampleGenerator.classNames)
        let train = try dataset.list(named: "train"), validation = try dataset.list(named: "val")
        #expect(train.ids.count == 30 && validation.ids.count == 12)
        #expect(try dataset.list(named: "trainval").ids == (train.ids + validation.ids).sorted())
        let jpegs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("JPEGImages").path)
        #expect(jpegs.count == 45, "3 unlisted JPEGs beside the 42 listed")
        var channels: Set<Int> = [], progressive = 0, partElements = 0
        for id in train.ids + validation.ids {
            let jpeg = try Data(contentsOf: root.appendingPathComponent("JPEGImages/\(id).jpg"))
            channels.insert(try JPEGDecoder.header(of: Array(jpeg)).channels)
            if jpeg.range(of: Data([0xFF, 0xC2])) != nil { progressive += 1 }
            let xml = try String(contentsOf: root.appendingPathComponent("Annotations/\(id).xml"), encoding: .utf8)
            partElements += xml.components(separatedBy: "<part>").count - 1
        }
        #expect(channels == [1, 3], "grayscale and colour JPEGs")
        #expect(progressive > 0, "progressive JPEGs (SOF2)")
        let records = try dataset.records(of: train) + dataset.records(of: validation)
        #expect(records.contains { $0.difficult.contains(1) }, "some class only difficult")
        #expect(partElements > 0, "persons with nested parts")
        #expect(throws: VOCSampleWriteError.self) { try VOCSampleGenerator.write(to: folder) }
    }

    @Test func chestXray14SamplesHoldEveryPNGKindAndNoFinding() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cxr-samples-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let root = try ChestXray14SampleGenerator.write(to: folder, options: ChestXray14SampleOptions(imageCount: 40,
                                                                                                      size: 48))
        let csv = try String(contentsOf: root.appendingPathComponent("Data_Entry_2017_v2020.csv"), encoding: .utf8)
        #expect(csv.hasPrefix(ChestXray14SampleGenerator.header + "\n"))
        let dataset = try ChestXray14Dataset(root: root, classNames: ChestXray14SampleGenerator.classNames)
        #expect(dataset.labelTable.entries.count == 40)
        #expect(dataset.labelTable.entries.contains { $0.labels.allSatisfy { $0 == 0 } }, "some No Finding")
        let splits = try dataset.splits(validationFraction: 0.1, seed: 0)
        #expect(splits.usedOfficialLists && !splits.test.isEmpty)
        let testList = try Data(contentsOf: root.appendingPathComponent("test_list.txt"))
        #expect(testList.last != 0x0A, "test list without a final newline, as published")
        var kinds: Set<String> = []
        for entry in dataset.labelTable.entries {
            let path = try #require(dataset.locator.path(of: entry.imageName))
            let header = try PNGDecoder.header(contentsOf: URL(fileURLWithPath: path))
            kinds.insert("\(header.colorModel.rawValue)/\(header.bitDepth)")
        }
        #expect(kinds.count == 3, "8-bit gray, RGBA and 16-bit gray: \(kinds)")
        #expect(kinds.contains { $0.hasSuffix("/16") })
    }
}
