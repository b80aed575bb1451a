import Foundation
import SampleData
import Safetensors
import Testing

/// The sample writers' staging file uses the `.NAME.partial-PID` form, so `fednc-shards leftovers` can find one that
/// a killed `fednc-samples` left behind.
@Suite("AtomicFileWriter")
struct AtomicFileWriterTests {
    @Test("stages into the hidden .NAME.partial-PID sibling, renamed on commit, removed when not committed")
    func stagingName() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("fednc-atomic-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let destination = folder.appendingPathComponent("cifar-10-binary.tar.gz")
        let staged = AbandonedPartialOutputs.prefix(of: destination) + "\(getpid())"
        do {
            let writer = try AtomicFileWriter(path: destination.path)
            try writer.write([1, 2, 3])
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [staged])
            try writer.commit()
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [destination.lastPathComponent])
        #expect(try Data(contentsOf: destination) == Data([1, 2, 3]))

        let other = folder.appendingPathComponent("other.npz")
        do {
            let writer = try AtomicFileWriter(path: other.path)
            try writer.write([4])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [destination.lastPathComponent])
    }
}
