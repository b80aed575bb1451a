import ArgumentParser
import Foundation
import NeuralNet

/// FedLGT - Liu et al., "Language-Guided Transformer for Federated Multi-Label Classification", AAAI 2024
/// (code: Jack24658735/FedLGT).
///
/// The model is C-Tran (`LabelTransformerClassifier`: ResNet-18 layer4 tokens, K label tokens made of frozen CLIP
/// text features of "The photo contains {class}." plus a frozen state embedding - unknown / "positive" /
/// "negative" - 3 post-norm self-attention layers, 4 heads, width 512, dropout 0.1, a per-class readout). Clients
/// train with label-mask training: per image, up to 0.75 K labels are revealed as states and BCE is summed over
/// the unknown ones; a label the round's global model scores in [0.48, 0.52] is never revealed (FedLGT's global
/// guidance). The server averages the whole state (FedAvg). Needs `--label-embeddings FILE`
/// (`tools/make-label-embeddings`). Deviations from the authors' code: docs/trainer.md, "FedLGT".
public struct FedLGT: FederatedMethod {
    public static let name = "fedlgt"
    public static let displayName = "FedLGT"
    /// Not used: FedLGT's model is the C-Tran head (`ModelFactory` builds it for this method); recorded as mlp.
    public static let head = HeadKind.mlp

    public init(configuration: RunConfiguration, clientCount: Int) {}
    public init() {}

    /// `--label-embeddings FILE`; recorded in run.json with the file's SHA-256.
    public struct Options: MethodOptionGroup {
        @Option(help: ArgumentHelp("FedLGT: safetensors of CLIP ViT-B/16 text features [K+2, 512] "
                                   + "(tools/make-label-embeddings).", valueName: "file"))
        public var labelEmbeddings: String?

        public init() {}

        public func apply(to configuration: inout RunConfiguration) {
            configuration.labelEmbeddings = labelEmbeddings.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        }
    }

    /// FedLGT's transformer: width 512 (CLIP ViT-B/16's text features), 4 heads, 3 layers, dropout 0.1.
    static func architecture(_ configuration: RunConfiguration, classCount: Int) -> LabelTransformerConfiguration {
        let backbone = configuration.modelConfiguration
        return LabelTransformerConfiguration(classCount: classCount, stem: backbone.stem,
                                             widthMultiplier: backbone.widthMultiplier, inputSize: backbone.inputSize)
    }

    /// The run's model; with `loadingInputs` (the server's round-0 model) the label embeddings (required) and
    /// `--pretrained` weights are read; other nodes receive them inside the state.
    static func model(_ configuration: RunConfiguration, classCount: Int, classNames: [String]?,
                      loadingInputs: Bool) throws -> LabelTransformerModel {
        let classifier = LabelTransformerClassifier(
            configuration: architecture(configuration, classCount: classCount), seed: configuration.training.seed,
            backend: ModelFactory.engineBackend)
        if loadingInputs {
            guard let path = configuration.labelEmbeddings else { throw LabelEmbeddingsError.notGiven }
            let file = try LabelEmbeddingsFile(contentsOf: URL(fileURLWithPath: path), classCount: classCount,
                                               classNames: classNames, dimension: classifier.configuration.dimension)
            classifier.setLabelEmbeddings(file.table)
            if let pretrained = configuration.pretrained {
                try classifier.loadPretrained(from: URL(fileURLWithPath: pretrained))
            }
        }
        return LabelTransformerModel(classifier: classifier)
    }
}
