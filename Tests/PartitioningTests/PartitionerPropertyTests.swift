import Partitioning
import Testing

/// The properties partition.md requires of every partition (each a test).
@Suite("Partitioner properties")
struct PartitionerPropertyTests {
    /// Every kept sample is in exactly one shard, lists ascend, and kept + dropped = N.
    private func expectCoverage(_ plan: PartitionPlan, sampleCount: Int) {
        var seen = [Int](repeating: 0, count: sampleCount)
        for client in plan.clients {
            #expect(client.sampleIndices == client.sampleIndices.sorted())
            for sample in client.sampleIndices { seen[sample] += 1 }
        }
        #expect(seen.allSatisfy { $0 <= 1 })
        #expect(seen.filter { $0 == 1 }.count == plan.keptCount)
        #expect(plan.keptCount + plan.dropped.total == sampleCount)
    }

    @Test(arguments: [AbsentLabelPolicy.drop, .mask], [EmptyLabelPolicy.spread, .drop])
    func keptPlusDroppedIsEverySampleOnce(absent: AbsentLabelPolicy, empty: EmptyLabelPolicy) throws {
        let labels = try SyntheticLabels.multiLabel(samples: 3000, classes: 12, seed: 5)
        let parameters = PartitionParameters(alpha: 0.5, rho: 0.5, seed: 11, absentLabels: absent, emptyLabels: empty)
        let plan = try Partitioner.partition(labels, parameters: parameters)
        expectCoverage(plan, sampleCount: labels.sampleCount)
        #expect(plan.clients.count == 10)
        if empty == .drop { #expect(plan.dropped.emptyLabels > 0) }
        if absent == .drop { #expect(plan.dropped.noEligibleClient > 0) } else { #expect(plan.maskedLabels > 0) }
    }

    @Test func samePlanTwice() throws {
        let labels = try SyntheticLabels.multiLabel(samples: 2000, classes: 9, seed: 2)
        let parameters = PartitionParameters(alpha: 0.3, rho: 0.6, seed: 99)
        #expect(try Partitioner.partition(labels, parameters: parameters)
            == Partitioner.partition(labels, parameters: parameters))
        var other = parameters
        other.seed = 100
        #expect(try Partitioner.partition(labels, parameters: parameters)
            != Partitioner.partition(labels, parameters: other))
    }

    @Test(arguments: [AbsentLabelPolicy.drop, .mask])
    func noPositiveLabelOutsideClassSet(absent: AbsentLabelPolicy) throws {
        let labels = try SyntheticLabels.multiLabel(samples: 3000, classes: 10, seed: 8, extraRate: 0.2)
        let plan = try Partitioner.partition(
            labels, parameters: PartitionParameters(alpha: 1, rho: 0.4, seed: 3, absentLabels: absent))
        for client in plan.clients {
            let rows = client.labelRows(from: labels)
            for (row, sample) in client.sampleIndices.enumerated() {
                for classIndex in 0..<labels.classCount where !client.classSet.contains(classIndex) {
                    #expect(rows[row * labels.classCount + classIndex] == 0)
                    if absent == .drop { #expect(labels[sample, classIndex] == 0) }
                }
            }
            let counted = (0..<labels.classCount).map { classIndex in
                (0..<client.size).reduce(0) { $0 + Int(rows[$1 * labels.classCount + classIndex]) }
            }
            #expect(counted == client.classCounts)
        }
        if absent == .mask {
            #expect(plan.dropped.noEligibleClient == 0)
            #expect(plan.clients.contains { !$0.maskedSampleIndices.isEmpty })
        }
    }

    @Test func spreadEmptyLabelCountsDifferByAtMostOne() throws {
        let labels = try SyntheticLabels.multiLabel(samples: 2503, classes: 8, seed: 4, emptyRate: 0.5)
        let plan = try Partitioner.partition(labels, parameters: PartitionParameters(clients: 7, alpha: 0.1,
                                                                                     rho: 0.5, seed: 1))
        let empties = plan.clients.map(\.emptyLabelSamples)
        #expect(empties.max()! - empties.min()! <= 1)
        #expect(empties.reduce(0, +) == (0..<labels.sampleCount).filter { labels.row($0).allSatisfy { $0 == 0 } }.count)
    }

    @Test func infiniteAlphaFullRhoBalancesEveryClass() throws {
        let labels = try SyntheticLabels.singleLabel(samples: 4321, classes: 13, seed: 6)
        let plan = try Partitioner.partition(labels, parameters: PartitionParameters(alpha: .infinity, rho: 1,
                                                                                     seed: 12))
        for classIndex in 0..<13 {
            let counts = plan.clients.map { $0.classCounts[classIndex] }
            #expect(counts.max()! - counts.min()! <= 1, "class \(classIndex): \(counts)")
        }
        #expect(plan.dropped.total == 0)
    }

    /// Mean over classes of the largest share one client has of that class (1/M = perfectly even).
    private func meanLargestShare(alpha: Double) throws -> Double {
        let labels = try SyntheticLabels.singleLabel(samples: 20000, classes: 10, seed: 21)
        let plan = try Partitioner.partition(labels, parameters: PartitionParameters(alpha: alpha, rho: 1, seed: 5,
                                                                                     minClientSize: 0))
        var total = 0.0
        for classIndex in 0..<10 {
            let counts = plan.clients.map { Double($0.classCounts[classIndex]) }
            total += counts.max()! / counts.reduce(0, +)
        }
        return total / 10
    }

    @Test func clientCountsTheDataCannotFillAreRefusedFirst() throws {
        let labels = try SyntheticLabels.multiLabel(samples: 55, classes: 6, seed: 1)
        #expect(throws: PartitionError.tooManyClients(clients: 1_000_000, sampleCount: 55, minClientSize: 1)) {
            try Partitioner.partition(labels, parameters: PartitionParameters(clients: 1_000_000, alpha: 0.5, rho: 0.5, seed: 0))
        }
        #expect(throws: PartitionError.tooManyClients(clients: 6, sampleCount: 55, minClientSize: 10)) {
            try Partitioner.partition(labels, parameters: PartitionParameters(clients: 6, alpha: 0.5, rho: 0.5, seed: 0,
                                                                              minClientSize: 10))
        }
        let message = PartitionError.tooManyClients(clients: 1_000_000, sampleCount: 55, minClientSize: 1).description
        #expect(message.contains("at most 55 clients") && message.contains("--clients 55"))
        _ = try Partitioner.partition(labels, parameters: PartitionParameters(clients: 55, alpha: .infinity, rho: 1, seed: 0,
                                                                              minClientSize: 0))
    }

    @Test func smallAlphaSkewsLargeAlphaEvens() throws {
        let skewed = try meanLargestShare(alpha: 0.05)
        let even = try meanLargestShare(alpha: 1000)
        #expect(skewed > 0.6, "alpha 0.05: mean largest share \(skewed)")
        #expect(even < 0.12, "alpha 1000: mean largest share \(even)")
    }

    @Test func tenFailedAttemptsNameTheSmallestClients() throws {
        let labels = try SyntheticLabels.multiLabel(samples: 500, classes: 6, seed: 1)
        // 8 x 60 = 480 of the 500 samples: fillable in principle (so not `tooManyClients`), never with alpha 0.5.
        let parameters = PartitionParameters(clients: 8, alpha: 0.5, rho: 0.5, seed: 0, minClientSize: 60)
        #expect {
            try Partitioner.partition(labels, parameters: parameters)
        } throws: { error in
            guard case let .clientsTooSmall(attempts, minimum, smallest) = error as? PartitionError else {
                return false
            }
            let message = String(describing: error)
            return attempts == 10 && minimum == 60 && !smallest.isEmpty
                && smallest.map(\.size) == smallest.map(\.size).sorted() && smallest.allSatisfy { $0.size < 60 }
                && message.contains("--alpha") && message.contains("--min-client-size")
                && message.contains("client \(smallest[0].client) has \(smallest[0].size)")
        }
    }

    @Test func invalidParametersAreTypedErrors() throws {
        let labels = try SyntheticLabels.singleLabel(samples: 10, classes: 3, seed: 1)
        #expect(throws: PartitionError.self) {
            try Partitioner.partition(labels, parameters: PartitionParameters(alpha: 0, rho: 0.5, seed: 0))
        }
        #expect(throws: PartitionError.self) {
            try Partitioner.partition(labels, parameters: PartitionParameters(alpha: 1, rho: 1.5, seed: 0))
        }
        #expect(throws: PartitionError.self) {
            try LabelMatrix(sampleCount: 2, classCount: 2, values: [0, 1, 2, 0])
        }
        #expect(throws: PartitionError.self) { try LabelMatrix(sampleCount: 2, classCount: 2, values: [0, 1]) }
    }
}
