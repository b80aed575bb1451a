import Foundation
import SeededRandom
import Testing
import Safetensors

/// `PosixFile.write(segments:)`: the gather write behind shard writing must put every byte in order, across
/// more segments than one `writev(2)` call takes and with empty segments mixed in.
@Suite("Gather writes")
struct GatherWriteTests {
    @Test func manySegmentsLandInOrder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var random = Xoshiro256StarStar(seed: 7, stream: "tests/gather-write")
        let source = (0..<400_000).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        // 2,600 segments (more than two calls' worth), some empty, some repeated, out of source order.
        var ranges = [Range<Int>]()
        for _ in 0..<2_600 {
            let start = random.uniformInt(source.count)
            let length = random.uniformInt(5) == 0 ? 0 : random.uniformInt(min(600, source.count - start) + 1)
            ranges.append(start..<(start + length))
        }
        let destination = folder.file("gathered.bin")
        let sibling = try TemporarySibling(of: destination)
        try source.withUnsafeBytes { all in
            try sibling.file.write(segments: ranges.map { UnsafeRawBufferPointer(rebasing: all[$0]) })
        }
        try sibling.commit()
        let expected = ranges.flatMap { source[$0] }
        #expect(ranges.count > 2 * PosixFile.maximumSegmentsPerWrite)
        #expect(try Data(contentsOf: destination) == Data(expected))
    }
}
