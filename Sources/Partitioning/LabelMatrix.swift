/// A training split's labels: `sampleCount` x `classCount` multi-hot bytes (each 0 or 1), row-major, so the
/// label of sample `s` for class `c` is `values[s * classCount + c]`. This is the only input the partition
/// algorithm reads (no pixels).
public struct LabelMatrix: Sendable, Equatable {
    /// Rows: the number of samples `N`.
    public let sampleCount: Int
    /// Columns: the number of classes `K` (at least 1).
    public let classCount: Int
    /// `N * K` bytes, row-major, each 0 or 1.
    public let values: [UInt8]

    /// Wraps `values` after checking the shape and that every byte is 0 or 1.
    ///
    /// - Throws: `PartitionError.labelShapeMismatch` when `values.count != sampleCount * classCount` or
    ///   `classCount < 1`; `PartitionError.nonBinaryLabel` naming the first byte that is neither 0 nor 1.
    public init(sampleCount: Int, classCount: Int, values: [UInt8]) throws(PartitionError) {
        guard sampleCount >= 0, classCount >= 1, values.count == sampleCount * classCount else {
            throw .labelShapeMismatch(sampleCount: sampleCount, classCount: classCount, valueCount: values.count)
        }
        let firstBad = values.withUnsafeBufferPointer { buffer -> Int? in
            var combined: UInt8 = 0
            for value in buffer { combined |= value }
            guard combined > 1 else { return nil }
            return buffer.firstIndex { $0 > 1 }
        }
        if let firstBad {
            throw .nonBinaryLabel(sample: firstBad / classCount, classIndex: firstBad % classCount,
                                  value: values[firstBad])
        }
        self.sampleCount = sampleCount
        self.classCount = classCount
        self.values = values
    }

    /// The label (0 or 1) of `sample` for class `classIndex`.
    public subscript(sample: Int, classIndex: Int) -> UInt8 {
        precondition(sample >= 0 && sample < sampleCount && classIndex >= 0 && classIndex < classCount,
                     "label index (\(sample), \(classIndex)) outside \(sampleCount) x \(classCount)")
        return values[sample * classCount + classIndex]
    }

    /// The `classCount` labels of `sample`.
    public func row(_ sample: Int) -> ArraySlice<UInt8> {
        precondition(sample >= 0 && sample < sampleCount, "sample \(sample) outside 0..<\(sampleCount)")
        return values[(sample * classCount)..<((sample + 1) * classCount)]
    }

    /// `n_c`: the number of positive labels of each class over all samples (`classCount` entries).
    public func positiveCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        values.withUnsafeBufferPointer { buffer in
            counts.withUnsafeMutableBufferPointer { counts in
                var offset = 0
                for _ in 0..<sampleCount {
                    for classIndex in 0..<classCount { counts[classIndex] &+= Int(buffer[offset + classIndex]) }
                    offset += classCount
                }
            }
        }
        return counts
    }
}
