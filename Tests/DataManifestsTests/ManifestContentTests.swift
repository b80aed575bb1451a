import DataManifests
import Foundation
import Testing

@Suite("Dataset manifest contents")
struct ManifestContentTests {
    @Test("every manifest decodes and is self-consistent", arguments: DatasetManifest.availableNames)
    func consistent(name: String) throws {
        let manifest = try DatasetManifest.named(name)
        #expect(manifest.name == name)
        #expect(manifest.formatVersion == 1)
        #expect(!manifest.classNames.isEmpty)
        #expect(Set(manifest.classNames).count == manifest.classNames.count, "duplicate class name")
        #expect(manifest.rawSplits.allSatisfy { $0.count > 0 })
        #expect(Set(manifest.rawFiles.map(\.name)).count == manifest.rawFiles.count, "duplicate raw file")
        #expect(!manifest.sources.isEmpty)
        let isLowerHex = { (text: String, length: Int) in
            text.count == length && text.allSatisfy { "0123456789abcdef".contains($0) }
        }
        for file in manifest.rawFiles {
            if let md5 = file.md5 { #expect(isLowerHex(md5, 32), "\(file.name) md5") }
            if let sha256 = file.sha256 { #expect(isLowerHex(sha256, 64), "\(file.name) sha256") }
            if let split = file.split { #expect(manifest.rawSplit(named: split) != nil, "\(file.name) split") }
        }
        for prepared in manifest.preparedSplits ?? [] {
            for file in prepared.rawFiles ?? [] { #expect(manifest.rawFile(named: file) != nil, "\(file)") }
            if let split = prepared.rawSplit { #expect(manifest.rawSplit(named: split) != nil, "\(split)") }
        }
        if let composite = manifest.composite {
            let preparedNames = (manifest.preparedSplits ?? []).map(\.name)
            #expect(composite.splits.map(\.name) == preparedNames)
        }
    }

    @Test("CIFAR-10: class names from the real batches.meta.txt, six 30,730,000-byte batches, defaults")
    func cifar10() throws {
        let manifest = try DatasetManifest.named("cifar10")
        let metaURL = try #require(Bundle.module.url(forResource: "Fixtures/batches.meta.txt", withExtension: nil))
        let meta = try String(contentsOf: metaURL, encoding: .utf8)
        let fixtureNames = meta.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        #expect(manifest.classNames == fixtureNames)
        let batches = manifest.rawFiles.filter { $0.kind == .records }
        #expect(batches.count == 6)
        #expect(batches.allSatisfy { $0.byteCount == 30_730_000 && $0.recordCount == 10_000 })
        #expect(manifest.rawFile(named: "cifar-10-binary.tar.gz")?.md5 == "c32a1d4ab5d03f1284b67883e8d87530")
        #expect(manifest.preparedSplits?.map { $0.rawFiles ?? [] } == [
            ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin"],
            ["data_batch_5.bin"], ["test_batch.bin"],
        ])
        let composite = try #require(manifest.composite)
        #expect(composite.splits.map(\.singlesPerClass) == [.count(3100), .count(800), .count(800)])
        #expect(composite.splits.map(\.pairsPerClassPair) == [200, 50, 50])
        #expect(composite.canvasScale == 2 && composite.maxOffsetDivisor == 4)
    }

    @Test("MedMNIST: DermaMNIST and BreastMNIST facts from the spec")
    func medmnist() throws {
        let derma = try DatasetManifest.named("dermamnist")
        #expect(derma.classNames.count == 7)
        #expect(derma.classNames.first == "actinic keratoses and intraepithelial carcinoma")
        #expect(derma.classNames.last == "vascular lesions")
        #expect(derma.rawSplits.map(\.count) == [7007, 1003, 2005])
        #expect(derma.rawFiles.map(\.md5) == ["0744692d530f8e62ec473284d019b0c7", "b70a2f5635c6199aeaa28c31d7202e1f",
                                              "2defd784463fa5243564e855ed717de1", "8974907d8e169bef5f5b96bc506ae45d"])
        #expect(derma.composite?.splits.map(\.singlesPerClass) == [.all, .all, .all])
        let breast = try DatasetManifest.named("breastmnist")
        #expect(breast.rawFile(named: "breastmnist.npz")?.md5 == "750601b1f35ba3300ea97c75c52ff8f6")
        #expect(breast.rawSplits.map(\.count) == [546, 78, 156])
        #expect(DatasetManifest.containingRawFile(named: "dermamnist_224.npz")?.name == "dermamnist")
        #expect(DatasetManifest.containingRawFile(named: "breastmnist.npz")?.name == "breastmnist")
        #expect(DatasetManifest.containingRawFile(named: "unknown.npz") == nil)
        #expect(try DatasetManifest.named("chestmnist").task == .multiLabel)
    }

    @Test("VOC and ChestX-ray14: classes in order and counts from the spec")
    func vocAndChestXray14() throws {
        let voc2012 = try DatasetManifest.named("voc2012")
        let voc2007 = try DatasetManifest.named("voc2007")
        #expect(voc2012.classNames.count == 20 && voc2012.classNames == voc2007.classNames)
        #expect(voc2012.classNames.first == "aeroplane" && voc2012.classNames.last == "tvmonitor")
        #expect(voc2012.rawSplit(named: "train")?.count == 5717)
        #expect(voc2012.rawSplit(named: "val")?.count == 5823)
        let cxr = try DatasetManifest.named("chestxray14")
        #expect(cxr.classNames == ["Atelectasis", "Cardiomegaly", "Consolidation", "Edema", "Effusion", "Emphysema",
                                   "Fibrosis", "Hernia", "Infiltration", "Mass", "Nodule", "Pleural_Thickening",
                                   "Pneumonia", "Pneumothorax"])
        #expect(cxr.patientCount == 30805)
        #expect(cxr.rawFile(named: "Data_Entry_2017_v2020.csv")?.recordCount == 112_120)
        #expect(cxr.rawSplits.map(\.count) == [86524, 25596])
    }

    @Test("unknown names are a typed error listing the known ones")
    func unknownName() {
        #expect(throws: DataManifestError.self) { try DatasetManifest.named("imagenet") }
        do {
            _ = try DatasetManifest.named("imagenet")
        } catch {
            #expect(error.description.contains("cifar10"))
        }
    }
}
