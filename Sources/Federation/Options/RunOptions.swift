import ArgumentParser
import Foundation
import NeuralNet

/// Every option that determines a run (`fednc-train train` and `fednc-train server start` share it with
/// `@OptionGroup`): shards, method, output, model, protocol, threads and each method's own group.
public struct RunOptions: ParsableArguments {
    @Option(help: "Shards folder written by `fednc-shards partition`.") public var shards: String
    @Option(help: ArgumentHelp("Prepared dataset folder (holding dataset.json) when the shards or the dataset were "
                               + "moved (default: the folder partition.json records, or a copy of it with the "
                               + "recorded dataset.json inside or beside the shards folder).", valueName: "dir"))
    public var dataset: String?
    @Option(help: ArgumentHelp(MethodRegistry.names.joined(separator: " | ") + "."))
    public var method: String
    @Option(help: "Run folder to create (or continue with --resume).") public var out: String
    @Option(help: "resnet18 (the paper's model) | linear (logistic regression on pooled pixels, quick runs).")
    public var model: ModelKind = .resnet18
    @Option(help: "Communication rounds (epochs for centralized).") public var rounds = 100
    @Option(help: "Local epochs per round.") public var localEpochs = 1
    @Option(help: "Mini-batch size.") public var batchSize = 32
    @Option(parsing: .unconditional, help: "AdamW learning rate.") public var lr: Float = 1e-4
    @Option(help: "Images are resized to this side before the backbone.") public var inputSize = 224
    @Option(help: "imagenet (7x7/2 + max pool) | cifar (3x3/1, no pool).") public var stem: StemKind = .imagenet
    @Option(help: "ResNet-18 channel multiplier.") public var width = 1.0
    @Option(help: "torchvision/timm resnet18 state dict (.safetensors) for the backbone.") public var pretrained: String?
    @Option(help: "Fraction of clients per round, in (0, 1].") public var participation = 1.0
    @Flag(help: "Aggregate with equal weights instead of sample counts.") public var equalWeights = false
    @Option(parsing: .unconditional, help: "Seed of initialisation, shuffles and participant draws.",
            transform: RunOptions.seed(_:))
    public var seed: UInt64 = 0
    @Option(help: ArgumentHelp("Engine worker threads; results depend on it, so run.json records it "
                               + "(default: FEDNC_THREADS, else all cores).", valueName: "n"))
    public var threads: Int = EngineThreadCount.defaultCount
    @OptionGroup public var methodOptions: MethodOptions
    @OptionGroup public var protocolOptions: ProtocolOptions

    public init() {}

    /// `--seed`: an integer in 0...2^64-1 (a negative value gets this message, not a parser error).
    static func seed(_ text: String) throws -> UInt64 {
        guard let value = UInt64(text) else {
            throw ValidationError("--seed must be a whole number from 0 to 18446744073709551615, got '\(text)'")
        }
        return value
    }

    public func validate() throws {
        guard MethodRegistry.names.contains(method) else {
            throw ValidationError("--method \(method) is unknown; use one of "
                                  + MethodRegistry.names.joined(separator: ", "))
        }
        guard rounds > 0, localEpochs > 0, batchSize > 0 else {
            throw ValidationError("--rounds, --local-epochs and --batch-size must be positive")
        }
        guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be a positive number, got \(lr)") }
        guard participation > 0, participation <= 1 else { throw ValidationError("--participation must be in (0, 1]") }
        guard inputSize >= 8 else { throw ValidationError("--input-size must be at least 8") }
        guard width > 0 else { throw ValidationError("--width must be positive") }
        guard (1...EngineThreadCount.maximumCount).contains(threads) else {
            throw ValidationError("--threads must be 1 to \(EngineThreadCount.maximumCount)")
        }
        if pretrained != nil, model == .linear { throw ValidationError("--pretrained needs --model resnet18") }
    }

    /// The run's configuration (absolute paths, so `evaluate` and `--resume` work from any directory) and its
    /// shards folder.
    public func configuration() throws -> (RunConfiguration, ShardFolder) {
        let shardsPath = URL(fileURLWithPath: shards).standardizedFileURL.path
        let pretrainedPath = pretrained.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let datasetPath = dataset.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let shardFolder = try ShardFolder(url: URL(fileURLWithPath: shardsPath),
                                          dataset: datasetPath.map { URL(fileURLWithPath: $0) })
        let method = try MethodRegistry.method(named: self.method)
        var training = TrainingSettings()
        training.rounds = rounds
        training.localEpochs = localEpochs
        training.batchSize = batchSize
        training.learningRate = lr
        training.participation = participation
        let protocolSettings = try protocolOptions.settings(equalWeightsFlag: equalWeights)
        training.equalWeights = protocolSettings.equalWeights
        training.seed = seed
        var configuration = RunConfiguration(
            shards: shardsPath, shardManifestSHA256: shardFolder.manifestSHA256, method: method.name, model: model,
            modelConfiguration: ModelConfiguration(classCount: shardFolder.classCount, head: method.head, stem: stem,
                                                   widthMultiplier: width, inputSize: inputSize),
            loss: LossConfiguration(), training: training, pretrained: pretrainedPath,
            pretrainedSHA256: try pretrainedPath.map(FederatedRun.sha256(ofFileAt:)), threads: threads,
            dataset: datasetPath)
        configuration.protocolSettings = protocolSettings
        configuration.modelConfiguration.mlpHiddenFeatures = protocolOptions.mlpHiddenFeatures(
            featureDimension: configuration.modelConfiguration.featureDimension)
        methodOptions.apply(to: &configuration)
        configuration.modelConfiguration.etfTraining = try protocolOptions.etfTraining(
            for: configuration.modelConfiguration)
        if method == FedLGT.self {
            guard let path = configuration.labelEmbeddings else { throw LabelEmbeddingsError.notGiven }
            if model == .linear { throw ValidationError("--method fedlgt needs --model resnet18 (its C-Tran model)") }
            _ = try LabelEmbeddingsFile(contentsOf: URL(fileURLWithPath: path), classNames: shardFolder.manifest.dataset.classNames,
                                        dimension: FedLGT.architecture(configuration, classCount: shardFolder.classCount).dimension)
            configuration.labelEmbeddingsSHA256 = try FederatedRun.sha256(ofFileAt: path)
        } else if configuration.labelEmbeddings != nil {
            throw ValidationError("--label-embeddings is FedLGT's; use it with --method fedlgt")
        }
        return (configuration, shardFolder)
    }
}

extension ModelKind: ExpressibleByArgument {}
extension StemKind: ExpressibleByArgument {}
