import Foundation
import RawDatasets
import SampleData
import Testing

/// Readers refuse what is not a regular file (a FIFO would block forever), check sizes before reading, and
/// bound the nesting of VOC annotations.
@Suite("Raw readers: non-regular files and limits", .timeLimit(.minutes(1)))
struct NonRegularAndLimitsTests {
    /// Before: `open(2)` on a FIFO without a writer blocked, and the test hung until its time limit.
    @Test("a FIFO named data_batch_2.bin is refused at once, in a folder and as RawInputFile")
    func fifoIsRefused() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try CIFAR10SampleWriter.write(to: folder, perClass: 2, seed: 3)
        let batches = folder.appendingPathComponent("cifar-10-batches-bin")
        let fifo = batches.appendingPathComponent("data_batch_2.bin")
        try FileManager.default.removeItem(at: fifo)
        try #require(mkfifo(fifo.path, 0o600) == 0)
        #expect(throws: RawInputFileError.cannotOpen(path: fifo.path, reason: "not a regular file")) {
            try RawInputFile(path: fifo.path)
        }
        #expect(throws: RawInputFileError.cannotOpen(path: fifo.path, reason: "not a regular file")) {
            try MappedFile(path: fifo.path)
        }
        #expect(RawInputFile.contents(atPath: fifo.path) == nil)
        #expect(RawInputFile.contents(atPath: folder.path) == nil)
        #expect {
            try CIFAR10Archive(path: batches.path, allowShortBatches: true)
        } throws: { error in
            "\(error)".contains("data_batch_2.bin") && "\(error)".contains("not a regular file")
        }
    }

    /// Before: the 8 GB sparse batch was mapped with MAP_POPULATE and hashed (minutes, gigabytes of page cache).
    @Test("a huge sparse batch is refused by its size before a byte is read")
    func hugeBatchIsRefusedBySize() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try CIFAR10SampleWriter.write(to: folder, perClass: 2, seed: 3)
        let batches = folder.appendingPathComponent("cifar-10-batches-bin")
        let handle = try FileHandle(forWritingTo: batches.appendingPathComponent("data_batch_1.bin"))
        try handle.truncate(atOffset: 8 << 30)
        try handle.close()
        let clock = ContinuousClock()
        let start = clock.now
        for allowShort in [false, true] {
            let error = #expect(throws: CIFAR10Error.self) { try CIFAR10Archive(path: batches.path, allowShortBatches: allowShort) }
            #expect(error?.description.contains("data_batch_1.bin") == true)
        }
        #expect(clock.now - start < .seconds(5))
    }

    /// Before: freeing a 50,000-deep tree recursed 50,000 times and overflowed the stack (SIGSEGV).
    @Test("an annotation nested 50,000 deep is refused naming the file; 256 levels parse")
    func deepNesting() throws {
        let deep = String(repeating: "<a>", count: 50_000) + String(repeating: "</a>", count: 50_000)
        let error = #expect(throws: VOCDatasetError.self) { try VOCAnnotation(xml: Array(deep.utf8), file: "deep.xml") }
        #expect(error?.description.contains("deep.xml") == true)
        #expect(error?.description.contains("nested more than 256") == true)
        let limit = String(repeating: "<a>", count: VOCXMLReader.maximumDepth)
            + String(repeating: "</a>", count: VOCXMLReader.maximumDepth)
        _ = try VOCXMLReader.parse(Array(limit.utf8))
        #expect(throws: VOCXMLSyntaxError.self) { try VOCXMLReader.parse(Array(("<b>" + limit + "</b>").utf8)) }
    }

    @Test("a VOC list starting with a UTF-8 byte-order mark reads its first id")
    func listWithByteOrderMark() throws {
        let list = try VOCImageList(name: "train", path: "train.txt", contents: [0xEF, 0xBB, 0xBF] + Array("2008_000001\n2008_000002\n".utf8))
        #expect(list.ids == ["2008_000001", "2008_000002"])
    }
}
