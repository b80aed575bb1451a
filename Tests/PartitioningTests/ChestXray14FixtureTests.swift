import Foundation
import Partitioning
import Testing

/// The first 1,000 real ChestX-ray14 rows, partitioned with "No Finding" (all-zero) rows spread.
@Suite("Partitioning ChestX-ray14 fixture")
struct ChestXray14FixtureTests {
    /// datasets.md's class order.
    static let classNames = ["Atelectasis", "Cardiomegaly", "Consolidation", "Edema", "Effusion", "Emphysema",
                             "Fibrosis", "Hernia", "Infiltration", "Mass", "Nodule", "Pleural_Thickening",
                             "Pneumonia", "Pneumothorax"]

    /// Reads the `Finding Labels` column (the second field) minimally; "No Finding" is the all-zero row.
    static func loadLabels() throws -> LabelMatrix {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/Data_Entry_2017_v2020_first1000",
                                                 withExtension: "csv"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        var values = [UInt8]()
        for line in lines {
            let findings = line.split(separator: ",", omittingEmptySubsequences: false)[1]
            var row = [UInt8](repeating: 0, count: classNames.count)
            for finding in findings.split(separator: "|") where finding != "No Finding" {
                row[try #require(classNames.firstIndex(of: String(finding)), "unknown finding \(finding)")] = 1
            }
            values += row
        }
        return try LabelMatrix(sampleCount: lines.count, classCount: classNames.count, values: values)
    }

    @Test func firstThousandRowsPartition() throws {
        let labels = try Self.loadLabels()
        #expect(labels.sampleCount == 1000)
        let plan = try Partitioner.partition(labels, parameters: PartitionParameters(alpha: 0.5, rho: 0.5, seed: 0))
        #expect(plan.keptCount + plan.dropped.total == 1000)
        let noFinding = (0..<1000).filter { labels.row($0).allSatisfy { $0 == 0 } }.count
        #expect(noFinding > 400)
        #expect(plan.clients.reduce(0) { $0 + $1.emptyLabelSamples } == noFinding)
        let empties = plan.clients.map(\.emptyLabelSamples)
        #expect(empties.max()! - empties.min()! <= 1)
        for client in plan.clients {
            for sample in client.sampleIndices {
                for classIndex in 0..<14 where labels[sample, classIndex] == 1 {
                    #expect(client.classSet.contains(classIndex))
                }
            }
            #expect(client.size >= 1)
        }
        let positives = labels.positiveCounts()
        let keptPositives = (0..<14).map { classIndex in plan.clients.reduce(0) { $0 + $1.classCounts[classIndex] } }
        #expect(zip(keptPositives, positives).allSatisfy { $0 <= $1 })
    }
}
