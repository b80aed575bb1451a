/// How many samples were left out of every shard, by reason.
public struct DroppedCounts: Sendable, Equatable {
    /// Samples anchored at a class no client holds.
    public var unroutable: Int
    /// Samples (policy `drop`) whose labels no holder of the anchor class covers.
    public var noEligibleClient: Int
    /// Samples without labels under policy `emptyLabels = drop`.
    public var emptyLabels: Int

    /// Counts by reason.
    public init(unroutable: Int = 0, noEligibleClient: Int = 0, emptyLabels: Int = 0) {
        self.unroutable = unroutable
        self.noEligibleClient = noEligibleClient
        self.emptyLabels = emptyLabels
    }

    /// All dropped samples.
    public var total: Int { unroutable + noEligibleClient + emptyLabels }
}

/// One client's part of a partition.
public struct ClientPartition: Sendable, Equatable {
    /// The client's index, 0-based.
    public let index: Int
    /// `S_i`, the classes it holds, ascending.
    public let classSet: [Int]
    /// Rows of the label matrix (= rows of train.safetensors) it holds, ascending.
    public let sampleIndices: [Int]
    /// Positives per class (`K` entries) in the client's copy of the labels (after masking).
    public let classCounts: [Int]
    /// How many of its samples have no label.
    public let emptyLabelSamples: Int
    /// The subset of `sampleIndices` (ascending) whose labels were masked (policy `mask` only).
    public let maskedSampleIndices: [Int]
    /// Positive labels removed by masking.
    public let maskedLabels: Int

    /// Number of samples.
    public var size: Int { sampleIndices.count }

    /// The client's copy of its labels: `size` x `K` bytes, row-major, in `sampleIndices` order, with every
    /// label outside `classSet` cleared (under `drop` that changes nothing, under `mask` it is the masking).
    public func labelRows(from labels: LabelMatrix) -> [UInt8] {
        let classCount = labels.classCount
        var keep = [UInt8](repeating: 0, count: classCount)
        for classIndex in classSet { keep[classIndex] = 1 }
        var rows = [UInt8](repeating: 0, count: sampleIndices.count * classCount)
        labels.values.withUnsafeBufferPointer { source in
            rows.withUnsafeMutableBufferPointer { target in
                for (row, sample) in sampleIndices.enumerated() {
                    let from = sample * classCount
                    let to = row * classCount
                    for classIndex in 0..<classCount {
                        target[to + classIndex] = source[from + classIndex] & keep[classIndex]
                    }
                }
            }
        }
        return rows
    }
}

/// The result of `Partitioner.partition`: every client's samples, and what was dropped or masked.
public struct PartitionPlan: Sendable, Equatable {
    /// The parameters that produced it.
    public let parameters: PartitionParameters
    /// `N` of the label matrix.
    public let sampleCount: Int
    /// `K` of the label matrix.
    public let classCount: Int
    /// The attempt (0...9) whose result satisfied `minClientSize`.
    public let attemptUsed: Int
    /// `M` clients, by index.
    public let clients: [ClientPartition]
    /// Samples in no shard, by reason.
    public let dropped: DroppedCounts

    /// Positive labels removed by masking, over all clients.
    public var maskedLabels: Int { clients.reduce(0) { $0 + $1.maskedLabels } }
    /// Samples in some shard.
    public var keptCount: Int { clients.reduce(0) { $0 + $1.size } }
}
