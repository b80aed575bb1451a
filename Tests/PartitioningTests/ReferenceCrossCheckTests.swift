import Foundation
import Partitioning
import Testing

/// The Swift partitioner against `Fixtures/reference_partition.py`, a second implementation of partition/1
/// written from the spec in Python (same C library maths), sample by sample.
@Suite("Partitioning reference cross-check")
struct ReferenceCrossCheckTests {
    struct ReferenceResult: Decodable {
        struct Dropped: Decodable, Equatable {
            var unroutable: Int
            var noEligibleClient: Int
            var emptyLabels: Int
        }
        var attempt: Int?
        var classSets: [[Int]]?
        var clients: [[Int]]?
        var masked: [[Int]]?
        var dropped: Dropped?
        var error: String?
    }

    static func runReference(_ labels: LabelMatrix, _ parameters: PartitionParameters) throws -> ReferenceResult {
        let script = try #require(Bundle.module.url(forResource: "Fixtures/reference_partition", withExtension: "py"))
        let rows = (0..<labels.sampleCount).map { labels.row($0).map(Int.init) }
        let input: [String: Any] = [
            "labels": rows, "clients": parameters.clients,
            "alpha": parameters.alpha.isInfinite ? "inf" as Any : parameters.alpha as Any,
            "rho": parameters.rho, "seed": parameters.seed, "absentLabels": parameters.absentLabels.rawValue,
            "emptyLabels": parameters.emptyLabels.rawValue, "minClientSize": parameters.minClientSize,
        ]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        stdin.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "reference_partition.py failed")
        return try JSONDecoder().decode(ReferenceResult.self, from: output)
    }

    static func expectSame(_ labels: LabelMatrix, _ parameters: PartitionParameters) throws {
        let reference = try runReference(labels, parameters)
        let plan = try Partitioner.partition(labels, parameters: parameters)
        #expect(reference.error == nil)
        #expect(reference.attempt == plan.attemptUsed)
        #expect(reference.classSets == plan.clients.map(\.classSet))
        #expect(reference.clients == plan.clients.map(\.sampleIndices))
        #expect(reference.masked == plan.clients.map(\.maskedSampleIndices))
        #expect(reference.dropped == .init(unroutable: plan.dropped.unroutable,
                                           noEligibleClient: plan.dropped.noEligibleClient,
                                           emptyLabels: plan.dropped.emptyLabels))
    }

    @Test(arguments: [
        PartitionParameters(clients: 10, alpha: 0.3, rho: 0.5, seed: 7),
        PartitionParameters(clients: 6, alpha: 2.5, rho: 0.3, seed: 11, absentLabels: .mask, emptyLabels: .drop),
        PartitionParameters(clients: 4, alpha: .infinity, rho: 1, seed: 0),
        PartitionParameters(clients: 7, alpha: 0.05, rho: 0.4, seed: 123_456_789_012, absentLabels: .mask),
    ])
    func multiLabelAgreesWithReference(parameters: PartitionParameters) throws {
        let labels = try SyntheticLabels.multiLabel(samples: 1200, classes: 8, seed: 17)
        try Self.expectSame(labels, parameters)
    }

    @Test func chestXray14RowsAgreeWithReference() throws {
        let labels = try ChestXray14FixtureTests.loadLabels()
        try Self.expectSame(labels, PartitionParameters(alpha: 0.5, rho: 0.5, seed: 2026))
        try Self.expectSame(labels, PartitionParameters(alpha: 1, rho: 0.3, seed: 5, absentLabels: .mask))
    }

    @Test func retriedAttemptsAgreeWithReference() throws {
        let labels = try SyntheticLabels.singleLabel(samples: 300, classes: 10, seed: 3)
        var retried = 0
        for seed in UInt64(0)..<12 {
            let parameters = PartitionParameters(alpha: 0.1, rho: 0.2, seed: seed, emptyLabels: .drop, minClientSize: 5)
            guard let plan = try? Partitioner.partition(labels, parameters: parameters), plan.attemptUsed > 0 else {
                continue
            }
            retried += 1
            try Self.expectSame(labels, parameters)
        }
        #expect(retried >= 2)
    }
}
