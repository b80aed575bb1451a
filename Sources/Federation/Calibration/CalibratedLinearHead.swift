/// SphereFed's calibrated classifier: scores `f W` on L2-normalised pooled features; `weight` is `d x K`.
public struct CalibratedLinearHead: Sendable, Codable, Equatable {
    public let dimension: Int
    public let classCount: Int
    public let weight: [Double]

    /// Scores, `count x K`, for pooled features `count x d` (normalised here).
    public func scores(pooledFeatures: [Float]) -> [Float] {
        let features = FeatureStatistics.normalizedRows(pooledFeatures, dimension: dimension)
        let count = features.count / dimension
        var scores = [Float](repeating: 0, count: count * classCount)
        for row in 0..<count {
            for k in 0..<classCount {
                var sum = 0.0
                for i in 0..<dimension { sum += Double(features[row * dimension + i]) * weight[i * classCount + k] }
                scores[row * classCount + k] = Float(sum)
            }
        }
        return scores
    }
}
