import Foundation
import Preparation
import Testing

/// An empty train split is refused at conversion (before: exit 0, then `partition` blamed `--alpha`); a val or
/// test split emptied by `--skip-bad` is converted with a warning; the summary table keeps its "records" label.
@Suite("Empty splits")
struct EmptySplitTests {
    private func request(_ producers: [any SplitRecordProducer], output: URL, skipBad: Bool = false) -> PreparationRequest {
        PreparationRequest(datasetName: "flaky", classNames: ["a", "b", "c"],
                           layout: PreparedLayout(height: 5, width: 3, channels: 1, classCount: 3), splits: producers,
                           output: output, workers: 2, skipBadRecords: skipBad, tool: "test", toolVersion: "0",
                           flags: [:], seed: 0, rawInputs: [])
    }

    @Test("a train split without records, or with every record skipped, is refused and writes nothing")
    func emptyTrainRefused() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("prepared")
        let test = FlakyProducer(splitName: "test", recordCount: 4, failing: [])
        let none = #expect(throws: PreparationError.self) {
            try PreparationPipeline.run(request([FlakyProducer(recordCount: 0, failing: []), test], output: output))
        }
        #expect(none?.description.contains("the train split is empty") == true)
        let skipped = #expect(throws: PreparationError.self) {
            try PreparationPipeline.run(request([FlakyProducer(recordCount: 3, failing: [0, 1, 2]), test],
                                                output: output, skipBad: true))
        }
        #expect(skipped?.description.contains("--skip-bad skipped all 3") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test("a test split emptied by --skip-bad converts with a warning; the summary's records row is whole")
    func emptiedTestSplitWarns() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let summary = try PreparationPipeline.run(request(
            [FlakyProducer(recordCount: 5, failing: []), FlakyProducer(splitName: "test", recordCount: 2, failing: [0, 1])],
            output: folder.appendingPathComponent("prepared"), skipBad: true))
        #expect(summary.warnings == ["the test split is empty: --skip-bad skipped all 2 of its records (listed in the "
                                     + "summary); fix or replace the bad inputs"])
        let lines = summary.report().split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("records ") }, "\(lines)")
    }
}
