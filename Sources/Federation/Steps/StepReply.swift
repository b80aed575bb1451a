import Foundation
import NeuralNet
import Safetensors

/// What one client sends back for one step (`client-NNN.reply.safetensors`; trainer.md, "Exchange files"):
/// for `train`, the local model as `model::<entry>` and the method's sets as `<set>::<entry>` (F32, the model's
/// layout); for `statistics`, `gram` (`d x d`) and `cross-covariance` (`d x K`) as F64. The `Header` is JSON in
/// metadata key `fednc`.
public struct StepReply: Sendable {
    public struct Header: Codable, Sendable, Equatable {
        /// `fednc-step-reply/1`.
        public var format: String
        /// Copied from the message.
        public var runID: String
        public var round: Int
        public var kind: StepMessage.Kind
        public var client: Int
        public var partitionSHA256: String
        public var shardSHA256: String
        /// The client's `FederatedRun.codeVersion`.
        public var codeVersion: String
        /// Worker threads the client step ran with.
        public var threads: Int
        /// Copied from the message.
        public var plannedAt: Double
        /// Samples in the client's shard.
        public var sampleCount: Int
        /// Optimiser steps taken (0 for statistics).
        public var localSteps: Int
        /// Mean training loss over the local steps (0 for statistics).
        public var meanLoss: Double
        /// The method's set names, sorted.
        public var sets: [String]
    }

    public static let format = "fednc-step-reply/1"

    public var header: Header
    /// The local model (`train`).
    public var model: ParameterSet?
    public var sets: [String: ParameterSet]
    /// `F^T F` and `F^T Y` (`statistics`).
    public var statistics: FeatureStatistics?

    public init(header: Header, model: ParameterSet?, sets: [String: ParameterSet],
                statistics: FeatureStatistics?) {
        self.header = header
        self.model = model
        self.sets = sets
        self.statistics = statistics
    }

    /// The reply as the method's server half sees it (`train` replies only).
    var clientReply: ClientReply {
        guard let model else { preconditionFailure("a statistics reply has no model") }
        return ClientReply(client: header.client, parameters: model, sampleCount: header.sampleCount,
                           localSteps: header.localSteps, meanLoss: header.meanLoss, sets: sets)
    }

    /// Writes the reply (temporary sibling, then rename: a reader never sees a partial reply).
    public func write(to url: URL) throws {
        var tensors = model?.tensors(prefix: "model::") ?? [:]
        for (name, set) in sets { tensors.merge(set.tensors(prefix: name + "::")) { first, _ in first } }
        if let statistics {
            tensors["gram"] = TensorData(statistics.gram, shape: [statistics.dimension, statistics.dimension])
            tensors["cross-covariance"] = TensorData(statistics.crossCovariance,
                                                     shape: [statistics.dimension, statistics.classCount])
        }
        let metadata = [StepMessage.metadataKey: String(decoding: try RunJSON.encoder.encode(header), as: UTF8.self)]
        try Safetensors.write(tensors: tensors, metadata: metadata, to: url)
    }

    public static func readHeader(from url: URL) throws(StepError) -> Header {
        try ExchangeFile.header(Header.self, of: ExchangeFile.open(url, what: "reply"))
    }

    /// The reply in `url`; `layout` is the model's, `featureDimension` and `classCount` the statistics' shape.
    public static func read(from url: URL, layout: ParameterSet, featureDimension: Int,
                            classCount: Int) throws(StepError) -> StepReply {
        let file = try ExchangeFile.open(url, what: "reply")
        let header = try ExchangeFile.header(Header.self, of: file)
        switch header.kind {
        case .train:
            var sets = [String: ParameterSet]()
            for name in header.sets { sets[name] = try ExchangeFile.load(file, layout: layout, prefix: name + "::") }
            return StepReply(header: header, model: try ExchangeFile.load(file, layout: layout, prefix: "model::"),
                             sets: sets, statistics: nil)
        case .statistics:
            func matrix(_ name: String, _ shape: [Int]) throws(StepError) -> [Double] {
                do {
                    let info = try file.info(name)
                    guard info.shape == shape, info.dtype == .float64 else {
                        throw StepError("\(url.path): '\(name)' is \(info.dtype) \(info.shape), expected F64 \(shape)")
                    }
                    return try file.array(of: Double.self, name)
                } catch let error as StepError {
                    throw error
                } catch {
                    throw StepError("\(url.path): \(error); the reply is damaged, rerun the client step")
                }
            }
            let statistics = FeatureStatistics(
                dimension: featureDimension, classCount: classCount,
                gram: try matrix("gram", [featureDimension, featureDimension]),
                crossCovariance: try matrix("cross-covariance", [featureDimension, classCount]))
            return StepReply(header: header, model: nil, sets: [:], statistics: statistics)
        }
    }

    /// `client-NNN.reply.safetensors`.
    public static func fileName(client: Int) -> String { String(format: "client-%03d.reply.safetensors", client) }
}
