import Checksums
import Foundation
import RawDatasets
import SampleData
import Testing

@Suite("CIFAR-10 binary reading")
struct CIFAR10ArchiveTests {
    @Test("the real batches.meta.txt (trailing blank line) gives the 10 class names")
    func realClassList() throws {
        let bytes = try RawInputFile(path: try fixturePath("batches.meta.txt")).readAll()
        let names = try CIFAR10Archive.parseClassNames(bytes, origin: "batches.meta.txt")
        #expect(names == ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"])
        #expect(throws: CIFAR10Error.self) { try CIFAR10Archive.parseClassNames(Array("a\nb\n\n".utf8), origin: "m") }
    }

    @Test("the sample tarball (gzip + tar read in Swift) and the folder give identical batches")
    func tarballEqualsFolder() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try CIFAR10SampleWriter.write(to: folder, perClass: 3, seed: 5)
        let tarball = folder.appendingPathComponent("cifar-10-binary.tar.gz").path
        let fromTar = try CIFAR10Archive(path: tarball, allowShortBatches: true)
        let fromFolder = try CIFAR10Archive(path: folder.appendingPathComponent("cifar-10-batches-bin").path, allowShortBatches: true)
        #expect(fromTar.classNames == CIFAR10SampleWriter.classNames)
        for name in CIFAR10Archive.batchNames {
            #expect(fromTar.batches[name]?.bytes == fromFolder.batches[name]?.bytes)
            #expect(fromTar.batches[name]?.recordCount == 30)
        }
        #expect(fromTar.inputs.count == 1 && fromFolder.inputs.count == 7)
        let md5 = try Checksums.md5(fileAt: URL(fileURLWithPath: tarball))
        _ = try CIFAR10Archive(path: tarball, allowShortBatches: true, expectedMD5: md5)
        let mismatch = #expect(throws: CIFAR10Error.self) {
            try CIFAR10Archive(path: tarball, allowShortBatches: true, expectedMD5: CIFAR10Archive.publishedTarballMD5)
        }
        #expect(mismatch?.description.contains("cifar-10-binary.tar.gz") == true)
    }

    @Test("Python's tarfile reads our tarball, and we read Python's PAX and GNU long names")
    func tarInterop() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try CIFAR10SampleWriter.write(to: folder, perClass: 1, seed: 1)
        let listing = try runPython("import sys, tarfile; print(','.join(tarfile.open(sys.argv[1]).getnames()))",
                                    [folder.appendingPathComponent("cifar-10-binary.tar.gz").path])
        #expect(listing.contains("cifar-10-batches-bin/test_batch.bin"))
        let longName = String(repeating: "d", count: 120) + "/data_batch_1.bin"
        for format in ["PAX_FORMAT", "GNU_FORMAT"] {
            let path = folder.appendingPathComponent("\(format).tar.gz").path
            _ = try runPython("""
            import sys, io, tarfile
            with tarfile.open(sys.argv[1], 'w:gz', format=getattr(tarfile, sys.argv[3])) as t:
                data = b'hello tar'
                info = tarfile.TarInfo(sys.argv[2]); info.size = len(data); t.addfile(info, io.BytesIO(data))
            """, [path, longName, format])
            var tar = TarReader(try InflateSource(FileRangeSource(file: try RawInputFile(path: path)), format: .gzip))
            let entry = try #require(try tar.nextEntry())
            #expect(entry.path == longName)
            #expect(try tar.readBytes(entry.size, context: "test") == Array("hello tar".utf8))
            #expect(try tar.nextEntry() == nil)
        }
    }

    @Test("a batch one byte short is refused naming the file")
    func oneByteShort() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let batches = folder.appendingPathComponent("cifar-10-batches-bin")
        try FileManager.default.createDirectory(at: batches, withIntermediateDirectories: true)
        try Data((CIFAR10SampleWriter.classNames.joined(separator: "\n") + "\n").utf8)
            .write(to: batches.appendingPathComponent("batches.meta.txt"))
        let fullSize = Data(count: 30_730_000)   // 10,000 records of label 0 and black pixels
        for name in CIFAR10Archive.batchNames { try fullSize.write(to: batches.appendingPathComponent(name)) }
        _ = try CIFAR10Archive(path: batches.path)
        let victim = batches.appendingPathComponent("data_batch_3.bin")
        let handle = try FileHandle(forWritingTo: victim)
        try handle.truncate(atOffset: 30_729_999)
        try handle.close()
        let error = #expect(throws: CIFAR10Error.self) { try CIFAR10Archive(path: batches.path) }
        #expect(error?.description.contains("data_batch_3.bin") == true)
        #expect(error?.description.contains("30730000") == true)
        let short = #expect(throws: CIFAR10Error.self) { try CIFAR10Archive(path: batches.path, allowShortBatches: true) }
        #expect(short?.description.contains("data_batch_3.bin") == true)
    }

    @Test("files are read concurrently, but the error reported is the first in file order, naming that file")
    func firstErrorInFileOrder() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try CIFAR10SampleWriter.write(to: folder, perClass: 2, seed: 3)
        let batches = folder.appendingPathComponent("cifar-10-batches-bin")
        let archive = try CIFAR10Archive(path: batches.path, allowShortBatches: true)
        #expect(archive.inputs.map(\.name) == ["batches.meta.txt"] + CIFAR10Archive.batchNames)
        let expected = try CIFAR10Archive.batchNames.map {
            Checksums.sha256(of: try Data(contentsOf: batches.appendingPathComponent($0)))
        }
        #expect(archive.inputs.dropFirst().map(\.sha256) == expected)
        var bytes = try Data(contentsOf: batches.appendingPathComponent("data_batch_4.bin"))
        bytes[5 * 3073] = 12
        try bytes.write(to: batches.appendingPathComponent("data_batch_4.bin"))
        try FileManager.default.removeItem(at: batches.appendingPathComponent("test_batch.bin"))
        #expect(throws: CIFAR10Error.badLabel(file: batches.appendingPathComponent("data_batch_4.bin").path, record: 5, label: 12)) {
            try CIFAR10Archive(path: batches.path, allowShortBatches: true)
        }
        try Data([0x61, 0x0A]).write(to: batches.appendingPathComponent("batches.meta.txt"))
        let metaError = #expect(throws: CIFAR10Error.self) { try CIFAR10Archive(path: batches.path, allowShortBatches: true) }
        #expect(metaError?.description.contains("batches.meta.txt") == true)
    }

    @Test("a label byte of 10 is refused naming the file and record")
    func badLabel() throws {
        var bytes = CIFAR10SampleWriter.batch(name: "data_batch_1.bin", perClass: 2, seed: 0)
        bytes[7 * 3073] = 10
        let error = #expect(throws: CIFAR10Error.badLabel(file: "data_batch_1.bin", record: 7, label: 10)) {
            try CIFAR10Batch(name: "data_batch_1.bin", origin: "data_batch_1.bin", bytes: bytes, allowShortBatches: true)
        }
        #expect(error?.description.contains("record 7") == true)
    }

    @Test("record layout: label byte, then 1,024 R, 1,024 G, 1,024 B; HWC conversion interleaves them")
    func recordLayout() throws {
        var bytes = [UInt8](repeating: 0, count: 3073)
        bytes[0] = 4
        bytes[1 + 33] = 11          // R at (y 1, x 1)
        bytes[1 + 1024 + 33] = 22   // G
        bytes[1 + 2048 + 33] = 33   // B
        let batch = try CIFAR10Batch(name: "b", origin: "b", bytes: bytes, allowShortBatches: true)
        var output = [UInt8](repeating: 0, count: 3072)
        output.withUnsafeMutableBufferPointer { batch.copyPixelsHWC(record: 0, into: $0) }
        #expect(batch.label(at: 0) == 4)
        #expect(Array(output[(33 * 3)..<(33 * 3 + 3)]) == [11, 22, 33])
        #expect(output.filter { $0 != 0 }.count == 3)
    }
}
