import Foundation
import NeuralNet
import TensorEngine

/// Builds a run's model from its configuration (server and clients alike).
public enum ModelFactory {
    /// The engine backend every ResNet-18 model of a run computes on: the one place the trainer picks it (the CPU,
    /// the only backend today; docs/engine.md, "Backends"). Layers, heads and methods never name a backend.
    public static var engineBackend: any EngineBackend { CPUBackend() }

    /// The model `configuration` describes for `classCount` classes, initialised from the run's seed. With
    /// `loadingPretrained`, `--pretrained` weights are read into the backbone (the server's round-0 model);
    /// clients skip them, as every message carries the whole model.
    /// `classNames` (the shards' dataset's), when given, are checked against FedLGT's label-embeddings file.
    public static func make(_ configuration: RunConfiguration, classCount: Int, classNames: [String]? = nil,
                            loadingPretrained: Bool) throws -> any FederatedModel {
        switch configuration.model {
        case .linear:
            return PooledLinearModel(classCount: classCount, seed: configuration.training.seed)
        case .resnet18 where configuration.method == FedLGT.name:
            return try FedLGT.model(configuration, classCount: classCount, classNames: classNames,
                                    loadingInputs: loadingPretrained)
        case .resnet18:
            var architecture = configuration.modelConfiguration
            architecture.classCount = classCount
            let classifier = MultiLabelClassifier(configuration: architecture, seed: configuration.training.seed,
                                                  backend: engineBackend)
            if loadingPretrained, let pretrained = configuration.pretrained {
                try classifier.loadPretrained(from: URL(fileURLWithPath: pretrained))
            }
            return ResNetClassifierModel(classifier: classifier, loss: configuration.effectiveLoss)
        }
    }
}
