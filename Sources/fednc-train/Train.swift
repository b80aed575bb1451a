import ArgumentParser
import CommandSupport
import Federation
import Foundation
import NeuralNet

/// `fednc-train [train] --shards DIR --method M --out RUN [...]`.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train from a shards folder into a run folder (resumable with --resume).")

    @Option(help: "Shards folder written by `fednc-shards partition`.") var shards: String
    @Option(help: "fedncalign | fedavg | fedprox | fedcurv | scaffold | spherefed | centralized.")
    var method: FederatedMethod
    @Option(help: "Run folder to create (or continue with --resume).") var out: String
    @Option(help: "resnet18 (the paper's model) | linear (logistic regression on pooled pixels, quick runs).")
    var model: ModelKind = .resnet18
    @Option(help: "Communication rounds (epochs for centralized).") var rounds = 100
    @Option(help: "Local epochs per round.") var localEpochs = 1
    @Option(help: "Mini-batch size.") var batchSize = 32
    @Option(help: "AdamW learning rate.") var lr: Float = 1e-4
    @Option(help: "Images are resized to this side before the backbone.") var inputSize = 224
    @Option(help: "imagenet (7x7/2 + max pool) | cifar (3x3/1, no pool).") var stem: StemKind = .imagenet
    @Option(help: "ResNet-18 channel multiplier.") var width = 1.0
    @Option(help: "torchvision/timm resnet18 state dict (.safetensors) for the backbone.") var pretrained: String?
    @Option(help: "FedNCAlign-ML rejection loss weight (0.01 advised for VOC/DermaMNIST).") var lambdaRej: Float = 1
    @Option(help: "FedNCAlign-ML positive contrastive loss weight.") var lambdaCon: Float = 1
    @Option(help: "Rejection threshold tau.") var tau: Float = 0.3
    @Option(help: "Contrastive temperature.") var temperature: Float = 0.07
    @Option(help: "FedProx proximal coefficient.") var mu: Float = 0.01
    @Option(help: "FedCurv penalty strength.") var fedcurvLambda: Float = 0.1
    @Option(help: "SphereFed cosine-logit scale.") var sphereScale: Float = 10
    @Option(help: "Fraction of clients per round, in (0, 1].") var participation = 1.0
    @Flag(help: "Aggregate with equal weights instead of sample counts.") var equalWeights = false
    @Flag(help: "FedNCAlign-ML ablation: ETF classifier on the pooled feature, no LADM.") var noLadm = false
    @Option(help: "LADM queries: fixed | learnable | random.") var queries: QueryMode = .fixed
    @Option(help: "FedNCAlign-ML logit scale s: fixed (s = 1, as the authors' code) | learnable (init 10, the paper's text).")
    var logitScale: LogitScale = .fixed
    @Option(help: "Seed of initialisation, shuffles and participant draws.") var seed: UInt64 = 0
    @Flag(help: "Continue the run in --out (same flags) from its last checkpoint.") var resume = false

    func validate() throws {
        guard rounds > 0, localEpochs > 0, batchSize > 0 else {
            throw ValidationError("--rounds, --local-epochs and --batch-size must be positive")
        }
        guard lr > 0 else { throw ValidationError("--lr must be positive") }
        guard participation > 0, participation <= 1 else { throw ValidationError("--participation must be in (0, 1]") }
        guard inputSize >= 8 else { throw ValidationError("--input-size must be at least 8") }
        guard width > 0 else { throw ValidationError("--width must be positive") }
        guard mu >= 0, fedcurvLambda >= 0, lambdaRej >= 0, lambdaCon >= 0, temperature > 0 else {
            throw ValidationError("--mu, --fedcurv-lambda, --lambda-rej, --lambda-con must be >= 0, --temperature > 0")
        }
        if pretrained != nil, model == .linear { throw ValidationError("--pretrained needs --model resnet18") }
    }

    func run() throws {
        // Absolute paths in run.json, so `evaluate` and `--resume` work from any directory.
        let shardsPath = URL(fileURLWithPath: shards).standardizedFileURL.path
        let pretrainedPath = pretrained.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let shardFolder = try ShardFolder(url: URL(fileURLWithPath: shardsPath))
        var training = TrainingSettings()
        training.rounds = rounds
        training.localEpochs = localEpochs
        training.batchSize = batchSize
        training.learningRate = lr
        training.participation = participation
        training.equalWeights = equalWeights
        training.seed = seed
        let modelConfiguration = ModelConfiguration(
            classCount: shardFolder.classCount, head: RunConfiguration.head(for: method), stem: stem,
            widthMultiplier: width, inputSize: inputSize, queries: queries, useLADM: !noLadm, sphereScale: sphereScale,
            logitScale: logitScale)
        let configuration = RunConfiguration(
            shards: shardsPath, shardManifestSHA256: shardFolder.manifestSHA256, method: method, model: model,
            modelConfiguration: modelConfiguration,
            loss: LossConfiguration(lambdaRejection: lambdaRej, lambdaContrastive: lambdaCon, tau: tau,
                                    temperature: temperature),
            training: training, mu: mu, fedCurvLambda: fedcurvLambda, pretrained: pretrainedPath,
            pretrainedSHA256: try pretrainedPath.map(FederatedRun.sha256(ofFileAt:)),
            codeVersion: FederatedRun.codeVersion)
        let run = FederatedRun(configuration: configuration, shards: shardFolder, runURL: URL(fileURLWithPath: out))
        let display = TrainingDisplay(rounds: rounds, participants: method == .centralized ? 1
                                      : max(1, Int((participation * Double(shardFolder.manifest.clients.count)).rounded())))
        guard let report = try run.train(resume: resume, progress: display.step, roundFinished: display.roundFinished)
        else { return }
        print(report.markdown)
    }
}

extension FederatedMethod: ExpressibleByArgument {}
extension ModelKind: ExpressibleByArgument {}
extension StemKind: ExpressibleByArgument {}
extension QueryMode: ExpressibleByArgument {}
extension LogitScale: ExpressibleByArgument {}
