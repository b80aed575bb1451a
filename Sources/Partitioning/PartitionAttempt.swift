import SeededRandom

/// One attempt `t` of partition.md step 3: proportions, quotas, routing, empty label sets.
struct PartitionAttempt {
    /// Where sample `s` went: a client index >= 0, or one of the `Outcome` codes below.
    var destination: [Int32]
    /// `true` for samples whose labels were masked (policy `mask`).
    var masked: [Bool]
    /// Samples per client.
    var sizes: [Int]
    /// Dropped samples by reason.
    var dropped = DroppedCounts()

    /// Negative destination codes.
    enum Outcome {
        static let unroutable: Int32 = -1
        static let noEligibleClient: Int32 = -2
        static let emptyLabelDropped: Int32 = -3
    }

    init(attempt: Int, inputs: PartitionInputs, sampleCount: Int, parameters: PartitionParameters) {
        destination = [Int32](repeating: Outcome.unroutable, count: sampleCount)
        masked = [Bool](repeating: false, count: sampleCount)
        sizes = [Int](repeating: 0, count: parameters.clients)

        var proportionStream = Xoshiro256StarStar(seed: parameters.seed, stream: "dirichlet/\(attempt)")
        for (classIndex, holders) in inputs.holders.enumerated() {
            let anchored = inputs.anchored[classIndex]
            guard !holders.isEmpty else {
                dropped.unroutable += anchored.count
                continue
            }
            let proportions = proportionStream.dirichlet(alpha: parameters.alpha, count: holders.count)
            guard !anchored.isEmpty else { continue }
            let quotas = LargestRemainder.apportion(total: anchored.count, proportions: proportions)
            var order = anchored
            var routeStream = Xoshiro256StarStar(seed: parameters.seed, stream: "route/\(classIndex)/\(attempt)")
            routeStream.shuffle(&order)
            route(order, holders: holders, quotas: quotas, proportions: proportions, inputs: inputs,
                  policy: parameters.absentLabels)
        }

        switch parameters.emptyLabels {
        case .spread:
            var order = inputs.emptySamples
            var emptyStream = Xoshiro256StarStar(seed: parameters.seed, stream: "empty/\(attempt)")
            emptyStream.shuffle(&order)
            for (position, sample) in order.enumerated() {
                let client = position % parameters.clients
                destination[Int(sample)] = Int32(client)
                sizes[client] += 1
            }
        case .drop:
            for sample in inputs.emptySamples { destination[Int(sample)] = Outcome.emptyLabelDropped }
            dropped.emptyLabels = inputs.emptySamples.count
        }
    }

    /// Routes one class's shuffled anchored samples: among the eligible holders pick the one maximising
    /// `(quota - assigned, proportion, -client)`.
    private mutating func route(_ order: [Int32], holders: [Int], quotas: [Int], proportions: [Double],
                                inputs: PartitionInputs, policy: AbsentLabelPolicy) {
        var assigned = [Int](repeating: 0, count: holders.count)
        for sample32 in order {
            let sample = Int(sample32)
            var best = -1
            for slot in holders.indices where inputs.labelsCovered(sample: sample, by: holders[slot]) {
                if best < 0 || Self.isBetter(slot, than: best, quotas: quotas, assigned: assigned,
                                             proportions: proportions) {
                    best = slot
                }
            }
            if best < 0 {
                guard policy == .mask else {
                    destination[sample] = Outcome.noEligibleClient
                    dropped.noEligibleClient += 1
                    continue
                }
                best = 0
                for slot in holders.indices.dropFirst()
                where Self.isBetter(slot, than: best, quotas: quotas, assigned: assigned, proportions: proportions) {
                    best = slot
                }
                masked[sample] = true
            }
            assigned[best] += 1
            destination[sample] = Int32(holders[best])
            sizes[holders[best]] += 1
        }
    }

    /// `(quota - assigned, proportion)` strictly larger; slots ascend with client index, so on a full tie the
    /// earlier (lower) client stays.
    @inline(__always)
    private static func isBetter(_ slot: Int, than best: Int, quotas: [Int], assigned: [Int],
                                 proportions: [Double]) -> Bool {
        let slack = quotas[slot] - assigned[slot]
        let bestSlack = quotas[best] - assigned[best]
        if slack != bestSlack { return slack > bestSlack }
        return proportions[slot] > proportions[best]
    }
}
