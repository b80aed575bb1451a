import DataManifests
import Foundation
import RawDatasets
import SampleData
import Testing

@Suite("VOC image lists and validation carving")
struct VOCImageListTests {
    @Test func readsIdsToleratingCRLFAndMissingFinalNewline() throws {
        let list = try VOCImageList(name: "train", path: "train.txt",
                                    contents: Array("2008_000008\r\n\n2008_000015  \n2008_000019".utf8))
        #expect(list.ids == ["2008_000008", "2008_000015", "2008_000019"])
    }

    @Test(arguments: ["../../etc/passwd", "/etc/passwd", "..", "a\\b", "sub/2008_000008"])
    func entriesThatEscapeTheRootAreRejected(entry: String) {
        let error = #expect(throws: VOCDatasetError.self) {
            try VOCImageList(name: "train", path: "train.txt", contents: Array("2008_000001\n\(entry)\n".utf8))
        }
        guard case .invalidListEntry(let list, let line, let rejected, _)? = error else {
            Issue.record("expected invalidListEntry, got \(String(describing: error))")
            return
        }
        #expect(list == "train.txt" && line == 2 && rejected == entry)
    }

    @Test(arguments: ["../train", "/tmp/train", "..", "a/b"])
    func listNamesThatEscapeTheRootAreRejected(name: String) {
        let error = #expect(throws: VOCDatasetError.self) {
            try VOCImageList(root: URL(fileURLWithPath: "/nonexistent"), name: name)
        }
        guard case .invalidListName? = error else {
            Issue.record("expected invalidListName, got \(String(describing: error))")
            return
        }
    }

    @Test func duplicatesAndPerClassListsAreRejected() {
        #expect(throws: VOCDatasetError.duplicateListEntry(list: "l.txt", line: 3, id: "a")) {
            try VOCImageList(name: "l", path: "l.txt", contents: Array("a\nb\na\n".utf8))
        }
        let error = #expect(throws: VOCDatasetError.self) {
            try VOCImageList(name: "l", path: "l.txt", contents: Array("2008_000008 -1\n".utf8))
        }
        #expect(error?.description.contains("l.txt, line 1") == true)
        #expect(throws: VOCDatasetError.emptyList(list: "l.txt")) {
            try VOCImageList(name: "l", path: "l.txt", contents: Array("\n\n".utf8))
        }
    }

    @Test func validationCarvingIsSeededDisjointAndOrderPreserving() {
        let ids = (0..<1000).map { $0 }
        let first = VOCValidationSplit.carve(ids, fraction: 0.1, seed: 7)
        let again = VOCValidationSplit.carve(ids, fraction: 0.1, seed: 7)
        let other = VOCValidationSplit.carve(ids, fraction: 0.1, seed: 8)
        #expect(first.validation.count == 100 && first.training.count == 900)
        #expect(first.validation == again.validation)
        #expect(first.validation != other.validation)
        #expect(Set(first.validation).isDisjoint(with: first.training))
        #expect(first.validation == first.validation.sorted() && first.training == first.training.sorted())
        #expect(VOCValidationSplit.carve(ids, fraction: 0, seed: 7).validation.isEmpty)
        #expect(VOCValidationSplit.carve([1, 2, 3], fraction: 0.5, seed: 1).validation.count == 2)
    }
}

@Suite("VOC and ChestX-ray14 class lists")
struct VOCChestXray14ClassListTests {
    @Test func manifestsSampleGeneratorsAndSpecAgree() throws {
        // The spec's literal orders (datasets.md) are vocClassNames / chestXray14ClassNames in these tests.
        #expect(try DatasetManifest.named("voc2012").classNames == vocClassNames)
        #expect(try DatasetManifest.named("voc2007").classNames == vocClassNames)
        #expect(try DatasetManifest.named("chestxray14").classNames == chestXray14ClassNames)
        #expect(VOCSampleGenerator.classNames == vocClassNames)
        #expect(ChestXray14SampleGenerator.classNames == chestXray14ClassNames)
    }
}
