import Foundation
import Preparation
import Testing

/// A named split whose records fail at chosen indices (otherwise a ramp; class index % K).
private struct NamedFlakySplit: SplitRecordProducer {
    let splitName: String
    let recordCount: Int
    let failing: Set<Int>
    struct Broken: Error, CustomStringConvertible { let name: String; var description: String { "\(name) is undecodable" } }

    func recordName(_ index: Int) -> String { "\(splitName)-\(index).jpg" }
    func produceRecord(_ index: Int, into slots: inout RecordSlots) throws {
        if failing.contains(index) { throw Broken(name: recordName(index)) }
        for offset in 0..<slots.pixels.count { slots.pixels[offset] = UInt8(truncatingIfNeeded: index + offset) }
        slots.labels[index % slots.labels.count] = 1
        slots.sources = (Int64(index), -1)
    }
}

@Suite("Split lanes")
struct SplitLanesTests {
    @Test("splits go to lanes longest first, to the lighter lane; each lane keeps request order")
    func assignment() {
        #expect(SplitLanes.assign(recordCounts: [40_500, 10_000, 10_000], lanes: 2) == [[0], [1, 2]])
        #expect(SplitLanes.assign(recordCounts: [5, 10], lanes: 2) == [[1], [0]])
        #expect(SplitLanes.assign(recordCounts: [7, 1, 9], lanes: 1) == [[0, 1, 2]])
        #expect(SplitLanes.assign(recordCounts: [3], lanes: 2) == [[0]])
    }

    private func run(_ splits: [NamedFlakySplit], in folder: URL) throws -> PreparationSummary {
        try PreparationPipeline.run(PreparationRequest(
            datasetName: "flaky", classNames: ["a", "b"], layout: PreparedLayout(height: 4, width: 4, channels: 1, classCount: 2),
            splits: splits, output: folder.appendingPathComponent("prepared"), workers: 2, tool: "test", toolVersion: "0",
            flags: [:], seed: 0, rawInputs: []))
    }

    @Test("splits converted side by side report the first failing split in request order, and leave nothing")
    func errorsInRequestOrder() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // val fails at once on its lane while train, earlier in request order, fails near its end: train's error wins.
        let lateTrain = [NamedFlakySplit(splitName: "train", recordCount: 20_000, failing: [19_990]),
                         NamedFlakySplit(splitName: "val", recordCount: 100, failing: [0]),
                         NamedFlakySplit(splitName: "test", recordCount: 100, failing: [])]
        let first = #expect(throws: PreparationError.self) { try run(lateTrain, in: folder) }
        #expect(first?.description.contains("train-19990.jpg") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        let lateVal = [NamedFlakySplit(splitName: "train", recordCount: 2_000, failing: []),
                       NamedFlakySplit(splitName: "val", recordCount: 100, failing: [60]),
                       NamedFlakySplit(splitName: "test", recordCount: 100, failing: [1])]
        let second = #expect(throws: PreparationError.self) { try run(lateVal, in: folder) }
        #expect(second?.description.contains("val-60.jpg") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        let fine = lateVal.map { NamedFlakySplit(splitName: $0.splitName, recordCount: $0.recordCount, failing: []) }
        let summary = try run(fine, in: folder)
        #expect(summary.description.splits.mapValues(\.count) == ["train": 2_000, "val": 100, "test": 100])
    }
}
