import Foundation
import NeuralNet
import TensorEngine

/// Which model a run trains.
public enum ModelKind: String, Codable, Sendable, CaseIterable {
    /// ResNet-18 with the method's head (the paper's model).
    case resnet18
    /// `PooledLinearModel`: logistic regression on pooled pixels, for quick runs and tests.
    case linear
}

/// Everything that determines a run, as written to `run.json`: a resumed run must match it exactly, and every
/// message carries it, so a client builds the same model and method as the server.
public struct RunConfiguration: Codable, Sendable, Equatable {
    /// The shards folder (absolute path).
    public var shards: String
    /// SHA-256 of the shards folder's `partition.json`.
    public var shardManifestSHA256: String
    /// The prepared dataset folder given with `--dataset` (absolute path); absent (not written) otherwise.
    public var dataset: String?
    /// The `--method` value (`MethodRegistry`).
    public var method: String
    public var model: ModelKind
    /// ResNet-18 architecture (head chosen by the method).
    public var modelConfiguration: ModelConfiguration
    /// Loss weights; only methods with `trainsWithAlignmentLoss` use more than BCE.
    public var loss: LossConfiguration
    public var training: TrainingSettings
    /// FedProx `mu`.
    public var mu: Float
    /// FedCurv `lambda`.
    public var fedCurvLambda: Float
    /// ImageNet weights for the backbone (`--pretrained`, absolute path), if any, with their SHA-256.
    public var pretrained: String?
    public var pretrainedSHA256: String?
    /// FedLGT's frozen CLIP text features (`--label-embeddings`, absolute path), if any, with their SHA-256.
    /// Only the server reads the file (at the start); the embeddings then travel inside the model's state.
    public var labelEmbeddings: String?
    public var labelEmbeddingsSHA256: String?
    /// `--profile` and the protocol points it resolves (nil in a run.json written before them: the paper's).
    public var protocolSettings: ProtocolSettings?
    /// Engine worker threads (`--threads`): results depend on it (reductions add per-worker partial sums), so
    /// every client step runs with it.
    public var threads: Int
    /// The trainer's version (`FederatedRun.codeVersion`).
    public var codeVersion: String

    public init(shards: String, shardManifestSHA256: String, method: String, model: ModelKind,
                modelConfiguration: ModelConfiguration, loss: LossConfiguration, training: TrainingSettings,
                mu: Float = 0.01, fedCurvLambda: Float = 0.1, pretrained: String? = nil,
                pretrainedSHA256: String? = nil, threads: Int = EngineThreads.workerCount,
                codeVersion: String = FederatedRun.codeVersion, dataset: String? = nil) {
        self.shards = shards
        self.dataset = dataset
        self.shardManifestSHA256 = shardManifestSHA256
        self.method = method
        self.model = model
        self.modelConfiguration = modelConfiguration
        self.loss = loss
        self.training = training
        self.mu = mu
        self.fedCurvLambda = fedCurvLambda
        self.pretrained = pretrained
        self.pretrainedSHA256 = pretrainedSHA256
        self.threads = threads
        self.codeVersion = codeVersion
    }

    /// Decodes run.json, a file rather than trusted values: `threads` must be 1...`EngineThreadCount.maximumCount`,
    /// and the training and model numbers what `RunOptions.validate` accepts (`fieldProblem`).
    /// A run folder from before `threads` existed (code version fednc-train/1) reads as using
    /// this process's engine threads, so `evaluate` still works on it (`--resume` refuses it: another code version).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        shards = try container.decode(String.self, forKey: .shards)
        shardManifestSHA256 = try container.decode(String.self, forKey: .shardManifestSHA256)
        dataset = try container.decodeIfPresent(String.self, forKey: .dataset)
        method = try container.decode(String.self, forKey: .method)
        model = try container.decode(ModelKind.self, forKey: .model)
        modelConfiguration = try container.decode(ModelConfiguration.self, forKey: .modelConfiguration)
        loss = try container.decode(LossConfiguration.self, forKey: .loss)
        training = try container.decode(TrainingSettings.self, forKey: .training)
        mu = try container.decode(Float.self, forKey: .mu)
        fedCurvLambda = try container.decode(Float.self, forKey: .fedCurvLambda)
        pretrained = try container.decodeIfPresent(String.self, forKey: .pretrained)
        pretrainedSHA256 = try container.decodeIfPresent(String.self, forKey: .pretrainedSHA256)
        labelEmbeddings = try container.decodeIfPresent(String.self, forKey: .labelEmbeddings)
        labelEmbeddingsSHA256 = try container.decodeIfPresent(String.self, forKey: .labelEmbeddingsSHA256)
        protocolSettings = try container.decodeIfPresent(ProtocolSettings.self, forKey: .protocolSettings)
        threads = try container.decodeIfPresent(Int.self, forKey: .threads) ?? EngineThreadCount.defaultCount
        if let (inModel, problem) = Self.fieldProblem(training: training, model: modelConfiguration) {
            throw DecodingError.dataCorruptedError(forKey: inModel ? .modelConfiguration : .training, in: container,
                                                   debugDescription: problem)
        }
        guard (1...EngineThreadCount.maximumCount).contains(threads) else {
            throw DecodingError.dataCorruptedError(
                forKey: .threads, in: container,
                debugDescription: "\(threads) engine threads; a run uses 1 to \(EngineThreadCount.maximumCount)")
        }
        codeVersion = try container.decode(String.self, forKey: .codeVersion)
    }

    /// The first training or model number `RunOptions.validate` would refuse, with the run.json key holding it:
    /// rounds, local epochs, batch sizes and the class count positive, the learning rate a positive number,
    /// participation in (0, 1], the input size at least 8, the width multiplier a positive number.
    /// `inModel`: the number is under `modelConfiguration`, else under `training`.
    static func fieldProblem(training: TrainingSettings, model: ModelConfiguration) -> (inModel: Bool, text: String)? {
        let checks: [(Bool, String, Bool)] = [
            (false, "rounds \(training.rounds); must be at least 1", training.rounds > 0),
            (false, "localEpochs \(training.localEpochs); must be at least 1", training.localEpochs > 0),
            (false, "batchSize \(training.batchSize); must be at least 1", training.batchSize > 0),
            (false, "evaluationBatchSize \(training.evaluationBatchSize); must be at least 1",
             training.evaluationBatchSize > 0),
            (false, "learningRate \(training.learningRate); must be a positive number",
             training.learningRate > 0 && training.learningRate.isFinite),
            (false, "participation \(training.participation); must be in (0, 1]",
             training.participation > 0 && training.participation <= 1),
            (true, "classCount \(model.classCount); must be at least 1", model.classCount > 0),
            (true, "inputSize \(model.inputSize); must be at least 8", model.inputSize >= 8),
            (true, "widthMultiplier \(model.widthMultiplier); must be a positive number",
             model.widthMultiplier > 0 && model.widthMultiplier.isFinite),
        ]
        return checks.first { !$0.2 }.map { ($0.0, $0.1) }
    }

    /// The shards folder run.json names, with its `--dataset`.
    public func shardFolder() throws -> ShardFolder {
        try ShardFolder(url: URL(fileURLWithPath: shards), dataset: dataset.map { URL(fileURLWithPath: $0) })
    }

    /// The method type named by `method`.
    public func methodType() throws(TrainingError) -> any FederatedMethod.Type {
        try MethodRegistry.method(named: method)
    }

    /// The protocol settings in force (`protocolSettings`, else the paper's).
    public var effectiveProtocol: ProtocolSettings { protocolSettings ?? .paper }

    /// The loss actually used: FedNCAlign-ML's full loss, BCE only for every other method.
    public var effectiveLoss: LossConfiguration {
        ((try? methodType())?.trainsWithAlignmentLoss ?? false) ? loss : .binaryCrossEntropyOnly
    }
}
