import Partitioning
import SeededRandom

/// A 112,120 x 14 label matrix with ChestX-ray14-like statistics (no real data): about 53.8% "No Finding"
/// (all-zero) rows; abnormal rows get a first finding drawn by the published per-class positive counts, then
/// each other finding with a probability proportional to its count, so that the mean is about 1.57 findings
/// per abnormal row and frequent findings co-occur most, as in the real file.
enum ChestXray14LikeLabels {
    /// Published positive counts of the 14 classes (datasets.md order) over 112,120 images.
    static let positiveCounts: [Double] = [11559, 2776, 4667, 2303, 13317, 2516, 1686, 227, 19894, 5782, 6331,
                                           3385, 1431, 5302]
    static let sampleCount = 112_120
    static let noFindingRate = 0.538

    static func make(seed: UInt64) -> LabelMatrix {
        let classCount = positiveCounts.count
        let total = positiveCounts.reduce(0, +)
        var cumulative = [Double]()
        var running = 0.0
        for count in positiveCounts {
            running += count / total
            cumulative.append(running)
        }
        let abnormal = Double(sampleCount) * (1 - noFindingRate)
        let extraLabels = total - abnormal
        let extraProbability = positiveCounts.map { $0 / total * extraLabels / abnormal }
        var generator = Xoshiro256StarStar(seed: seed, stream: "bench/chestxray14-labels")
        var values = [UInt8](repeating: 0, count: sampleCount * classCount)
        for sample in 0..<sampleCount where generator.uniform() >= noFindingRate {
            let draw = generator.uniform()
            let first = cumulative.firstIndex { draw < $0 } ?? classCount - 1
            values[sample * classCount + first] = 1
            for classIndex in 0..<classCount where generator.uniform() < extraProbability[classIndex] {
                values[sample * classCount + classIndex] = 1
            }
        }
        do {
            return try LabelMatrix(sampleCount: sampleCount, classCount: classCount, values: values)
        } catch {
            preconditionFailure("generated labels are 0/1 by construction: \(error)")
        }
    }
}
