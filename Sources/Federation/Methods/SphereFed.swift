import ArgumentParser
import Foundation
import NeuralNet

/// SphereFed - Dong et al., "SphereFed: Hyperspherical Federated Learning", ECCV 2022.
///
/// Training: the model's `sphere` head (L2-normalised pooled features, a fixed orthonormal classifier, cosine
/// logits times `--sphere-scale`) with the weighted mean as aggregation. After the last round a statistics step
/// sends the best round's model to every client, each replies with its `FeatureStatistics` instead of data, and
/// the server calibrates the classifier in closed form:
///
///     W = (sum_i F_i^T F_i + ridge I)^-1 (sum_i F_i^T Y_i)        (d x K)
///
/// with `F_i` the client's L2-normalised features (`n_i x d`) and `Y_i` its labels (`n_i x K`), summed in client
/// order; the calibrated scores are `f W` (a least-squares fit to the 0/1 labels, thresholded at 0.5 for F1).
public struct SphereFed: FederatedMethod {
    public static let name = "spherefed"
    public static let displayName = "SphereFed"
    public static let head = HeadKind.sphere
    public static let needsFeatureStatistics = true

    /// Ridge term added to the Gram matrix's diagonal so the solve stays defined (features are unit-norm, so
    /// the diagonal of the Gram matrix sums to the sample count).
    public let ridge: Double

    public init(configuration: RunConfiguration, clientCount: Int) {
        self.init()
    }

    public init(ridge: Double = 0.01) {
        precondition(ridge > 0, "ridge must be positive")
        self.ridge = ridge
    }

    /// Server half of the statistics step: the calibrated classifier from every client's statistics, summed in
    /// the given (client) order.
    public func calibrate(statistics: [FeatureStatistics], dimension: Int,
                          classCount: Int) throws(TrainingError) -> CalibratedLinearHead? {
        var gram = [Double](repeating: 0, count: dimension * dimension)
        var cross = [Double](repeating: 0, count: dimension * classCount)
        for client in statistics {
            guard client.gram.count == gram.count, client.crossCovariance.count == cross.count else {
                throw .dataMismatch("feature statistics are not \(dimension) x \(dimension) and \(dimension) x \(classCount)")
            }
            for index in gram.indices { gram[index] += client.gram[index] }
            for index in cross.indices { cross[index] += client.crossCovariance[index] }
        }
        for i in 0..<dimension { gram[i * dimension + i] += ridge }
        guard let weight = CholeskySolver.solve(symmetric: gram, dimension: dimension, rightHandSides: cross,
                                                columns: classCount) else {
            throw .calibrationFailed("the feature Gram matrix is not positive definite")
        }
        return CalibratedLinearHead(dimension: dimension, classCount: classCount, weight: weight)
    }

    /// Both halves on one machine (`fednc-train evaluate`, tests): the calibrated classifier from `clients`.
    public func calibratedHead(model: some FederatedModel, clients: [LabeledImages],
                               batchSize: Int) throws(TrainingError) -> CalibratedLinearHead {
        precondition(!clients.isEmpty, "need clients")
        let statistics = clients.map { FeatureStatistics(model: model, data: $0, batchSize: batchSize) }
        guard let head = try calibrate(statistics: statistics, dimension: model.featureDimension,
                                       classCount: clients[0].classCount) else {
            preconditionFailure("SphereFed always calibrates")
        }
        return head
    }

    /// `--sphere-scale` (run.json `modelConfiguration.sphereScale`).
    public struct Options: MethodOptionGroup {
        @Option(help: "SphereFed cosine-logit scale.") public var sphereScale: Float = 10

        public init() {}

        public func apply(to configuration: inout RunConfiguration) {
            configuration.modelConfiguration.sphereScale = sphereScale
        }
    }
}
