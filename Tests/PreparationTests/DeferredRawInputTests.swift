import Foundation
import Preparation
import RawDatasets
import Testing

@Suite("Raw-input checksums computed while the splits are written")
struct DeferredRawInputTests {
    private func request(output: URL, deferred: @escaping @Sendable () throws -> [RawInputDigest]) -> PreparationRequest {
        var request = PreparationRequest(
            datasetName: "flaky", classNames: ["a", "b", "c"], layout: PreparedLayout(height: 5, width: 3, channels: 1, classCount: 3),
            splits: [FlakyProducer(recordCount: 12, failing: [])], output: output, workers: 2, tool: "test", toolVersion: "0",
            flags: [:], seed: 0, rawInputs: [RawInputDigest(name: "first.bin", byteCount: 1, sha256: "aa")])
        request.deferredRawInputs = deferred
        return request
    }

    @Test("deferred digests are listed after the up-front ones in dataset.json")
    func listedAfterUpFront() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let summary = try PreparationPipeline.run(request(output: folder.appendingPathComponent("out")) {
            [RawInputDigest(name: "late.npz", byteCount: 2, sha256: "bb")]
        })
        #expect(summary.description.rawInputs.map(\.name) == ["first.bin", "late.npz"])
        let json = try String(contentsOf: folder.appendingPathComponent("out/dataset.json"), encoding: .utf8)
        #expect(json.contains("late.npz"))
    }

    @Test("a deferred digest that throws fails the run and leaves no output folder")
    func throwingFails() throws {
        struct Unreadable: Error {}
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: Unreadable.self) {
            try PreparationPipeline.run(request(output: folder.appendingPathComponent("out")) { throw Unreadable() })
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
