/// The partition algorithm `partition/1` (see /work spec partition.md and docs/partitioning.md): class sets,
/// rarest-label anchors, Dirichlet quotas per class, routing to the eligible holder with the most remaining
/// quota, empty label sets spread round-robin, up to 10 attempts until every client has `minClientSize` samples.
///
/// Pure and deterministic: the same label matrix and parameters give the same plan on any thread count.
public enum Partitioner {
    /// The version string recorded in manifests; changes whenever any rule changes.
    public static let algorithmVersion = "partition/1"
    /// Attempts `t = 0 ..< maximumAttempts` before giving up.
    public static let maximumAttempts = 10

    /// Partitions the rows of `labels` over `parameters.clients` clients.
    ///
    /// - Returns: the plan of the first attempt in which every client has at least `minClientSize` samples.
    /// - Throws: `PartitionError.invalidParameter` for out-of-range parameters; `.tooManyClients` when
    ///   `clients * max(1, minClientSize)` exceeds the samples; `.clientsTooSmall` naming the
    ///   smallest clients of the last attempt when no attempt satisfies `minClientSize`.
    public static func partition(_ labels: LabelMatrix,
                                 parameters: PartitionParameters) throws(PartitionError) -> PartitionPlan {
        try parameters.validate()
        guard parameters.clients <= labels.sampleCount / max(1, parameters.minClientSize) else {
            throw .tooManyClients(clients: parameters.clients, sampleCount: labels.sampleCount,
                                  minClientSize: parameters.minClientSize)
        }
        let inputs = PartitionInputs(labels: labels, parameters: parameters)
        var lastSizes = [Int]()
        for attempt in 0..<maximumAttempts {
            let result = PartitionAttempt(attempt: attempt, inputs: inputs, sampleCount: labels.sampleCount,
                                          parameters: parameters)
            if result.sizes.allSatisfy({ $0 >= parameters.minClientSize }) {
                return makePlan(result, attempt: attempt, inputs: inputs, labels: labels, parameters: parameters)
            }
            lastSizes = result.sizes
        }
        let smallest = lastSizes.enumerated()
            .filter { $0.element < parameters.minClientSize }
            .sorted { ($0.element, $0.offset) < ($1.element, $1.offset) }
            .map { PartitionError.ClientSize(client: $0.offset, size: $0.element) }
        throw .clientsTooSmall(attempts: maximumAttempts, minClientSize: parameters.minClientSize,
                               smallestClients: smallest)
    }

    /// Collects the clients' ascending sample lists, class counts (after masking) and masked labels.
    private static func makePlan(_ result: PartitionAttempt, attempt: Int, inputs: PartitionInputs,
                                 labels: LabelMatrix, parameters: PartitionParameters) -> PartitionPlan {
        let clientCount = parameters.clients
        let classCount = labels.classCount
        var samples = (0..<clientCount).map { client -> [Int] in
            var list = [Int]()
            list.reserveCapacity(result.sizes[client])
            return list
        }
        var maskedSamples = [[Int]](repeating: [], count: clientCount)
        var maskedLabels = [Int](repeating: 0, count: clientCount)
        var emptyCounts = [Int](repeating: 0, count: clientCount)
        var classCounts = [Int](repeating: 0, count: clientCount * classCount)
        labels.values.withUnsafeBufferPointer { values in
            for sample in 0..<labels.sampleCount {
                let client = Int(result.destination[sample])
                guard client >= 0 else { continue }
                samples[client].append(sample)
                var positives = 0
                let rowStart = sample * classCount
                for classIndex in inputs.classSets[client] where values[rowStart + classIndex] != 0 {
                    classCounts[client * classCount + classIndex] += 1
                    positives += 1
                }
                if result.masked[sample] {
                    maskedSamples[client].append(sample)
                    maskedLabels[client] += inputs.labelsOutside(sample: sample, of: client)
                } else if positives == 0 {
                    emptyCounts[client] += 1
                }
            }
        }
        let clients = (0..<clientCount).map { client in
            ClientPartition(index: client, classSet: inputs.classSets[client], sampleIndices: samples[client],
                            classCounts: Array(classCounts[(client * classCount)..<((client + 1) * classCount)]),
                            emptyLabelSamples: emptyCounts[client], maskedSampleIndices: maskedSamples[client],
                            maskedLabels: maskedLabels[client])
        }
        return PartitionPlan(parameters: parameters, sampleCount: labels.sampleCount, classCount: classCount,
                             attemptUsed: attempt, clients: clients, dropped: result.dropped)
    }
}
