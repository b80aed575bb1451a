import Partitioning
import SeededRandom

/// Seeded synthetic label matrices for the property tests.
enum SyntheticLabels {
    /// `samples` x `classes` multi-hot labels: each sample is empty with probability `emptyRate`, otherwise it
    /// gets one uniformly chosen class plus each other class with probability `extraRate`.
    static func multiLabel(samples: Int, classes: Int, seed: UInt64, emptyRate: Double = 0.3,
                           extraRate: Double = 0.1) throws -> LabelMatrix {
        var generator = Xoshiro256StarStar(seed: seed, stream: "test-labels")
        var values = [UInt8](repeating: 0, count: samples * classes)
        for sample in 0..<samples where generator.uniform() >= emptyRate {
            values[sample * classes + generator.uniformInt(classes)] = 1
            for classIndex in 0..<classes where generator.uniform() < extraRate {
                values[sample * classes + classIndex] = 1
            }
        }
        return try LabelMatrix(sampleCount: samples, classCount: classes, values: values)
    }

    /// Exactly one label per sample, classes drawn uniformly.
    static func singleLabel(samples: Int, classes: Int, seed: UInt64) throws -> LabelMatrix {
        var generator = Xoshiro256StarStar(seed: seed, stream: "test-labels")
        var values = [UInt8](repeating: 0, count: samples * classes)
        for sample in 0..<samples { values[sample * classes + generator.uniformInt(classes)] = 1 }
        return try LabelMatrix(sampleCount: samples, classCount: classes, values: values)
    }
}
