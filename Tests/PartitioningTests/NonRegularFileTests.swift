import Checksums
import Foundation
import Safetensors
import Testing

/// The safetensors reader and `Checksums` refuse a FIFO at once (before: `open(2)` blocked without a writer).
@Suite("Non-regular inputs", .timeLimit(.minutes(1)))
struct NonRegularFileTests {
    @Test("a FIFO named like a shard is refused by the safetensors reader and by Checksums")
    func fifoRefused() throws {
        let folder = try PreparedDatasetFixture.scratchFolder("fifo")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("client-000.safetensors")
        try #require(mkfifo(fifo.path, 0o600) == 0)
        #expect { try SafetensorsFile(contentsOf: fifo) } throws: { "\($0)".contains("not a regular file") }
        #expect { try Checksums.sha256(fileAt: fifo) } throws: { "\($0)".contains("not a regular file") }
        #expect { try Checksums.sha256(fileAt: folder) } throws: { "\($0)".contains("not a regular file") }
    }
}
