import Foundation
import NeuralNet

/// Builds a run's model from its configuration (server and clients alike).
public enum ModelFactory {
    /// The model `configuration` describes for `classCount` classes, initialised from the run's seed. With
    /// `loadingPretrained`, `--pretrained` weights are read into the backbone (the server's round-0 model);
    /// clients skip them, as every message carries the whole model.
    public static func make(_ configuration: RunConfiguration, classCount: Int,
                            loadingPretrained: Bool) throws -> any FederatedModel {
        switch configuration.model {
        case .linear:
            return PooledLinearModel(classCount: classCount, seed: configuration.training.seed)
        case .resnet18:
            var architecture = configuration.modelConfiguration
            architecture.classCount = classCount
            let classifier = MultiLabelClassifier(configuration: architecture, seed: configuration.training.seed)
            if loadingPretrained, let pretrained = configuration.pretrained {
                try classifier.loadPretrained(from: URL(fileURLWithPath: pretrained))
            }
            return ResNetClassifierModel(classifier: classifier, loss: configuration.effectiveLoss)
        }
    }
}
