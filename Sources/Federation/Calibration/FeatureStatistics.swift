/// One client's feature statistics for a closed-form calibration (SphereFed): `F^T F` (`d x d`) and `F^T Y`
/// (`d x K`), row-major, Double, with `F` the client's L2-normalised pooled features and `Y` its 0/1 labels.
public struct FeatureStatistics: Sendable, Equatable {
    public var gram: [Double]
    public var crossCovariance: [Double]

    public init(gram: [Double], crossCovariance: [Double]) {
        self.gram = gram
        self.crossCovariance = crossCovariance
    }
}
