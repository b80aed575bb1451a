/// One client's feature statistics for a closed-form calibration (SphereFed), the client half of the statistics
/// step: `F^T F` (`d x d`) and `F^T Y` (`d x K`), row-major, Double, with `F` the client's L2-normalised pooled
/// features (eval mode) and `Y` its 0/1 labels.
public struct FeatureStatistics: Sendable, Equatable {
    /// Feature dimension `d`.
    public var dimension: Int
    /// Classes `K`.
    public var classCount: Int
    public var gram: [Double]
    public var crossCovariance: [Double]

    public init(dimension: Int, classCount: Int, gram: [Double], crossCovariance: [Double]) {
        precondition(gram.count == dimension * dimension && crossCovariance.count == dimension * classCount,
                     "statistics must be d x d and d x K")
        self.dimension = dimension
        self.classCount = classCount
        self.gram = gram
        self.crossCovariance = crossCovariance
    }

    /// The statistics of `data` under `model`, in batches of `batchSize` (no effect on the result).
    public init(model: some FederatedModel, data: LabeledImages, batchSize: Int) {
        let dimension = model.featureDimension, classCount = data.classCount
        var gram = [Double](repeating: 0, count: dimension * dimension)
        var cross = [Double](repeating: 0, count: dimension * classCount)
        var start = 0
        while start < data.count {
            let indices = start..<min(start + batchSize, data.count)
            let (images, labels) = data.batch(indices)
            let features = Self.normalizedRows(model.pooledFeatures(images: images), dimension: dimension)
            for row in 0..<indices.count {
                let feature = features[(row * dimension)..<((row + 1) * dimension)].map(Double.init)
                for i in 0..<dimension where feature[i] != 0 {
                    for j in 0..<dimension { gram[i * dimension + j] += feature[i] * feature[j] }
                    for k in 0..<classCount { cross[i * classCount + k] += feature[i] * Double(labels[row * classCount + k]) }
                }
            }
            start = indices.upperBound
        }
        self.init(dimension: dimension, classCount: classCount, gram: gram, crossCovariance: cross)
    }

    /// Rows scaled to unit L2 norm (zero rows stay zero).
    static func normalizedRows(_ values: [Float], dimension: Int) -> [Float] {
        var result = values
        for row in 0..<(values.count / dimension) {
            var squares: Float = 0
            for index in (row * dimension)..<((row + 1) * dimension) { squares += values[index] * values[index] }
            let norm = squares.squareRoot()
            guard norm > 0 else { continue }
            for index in (row * dimension)..<((row + 1) * dimension) { result[index] /= norm }
        }
        return result
    }
}
