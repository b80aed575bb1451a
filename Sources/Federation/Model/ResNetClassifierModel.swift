import NeuralNet

/// The paper's model as a `FederatedModel`: NeuralNet's ResNet-18 `MultiLabelClassifier` with its head
/// (`mlp`, `ladm-etf` or `sphere`) and the loss it trains with (BCE only for the baselines; BCE + rejection +
/// contrastive for FedNCAlign-ML). The classifier is a reference type: `state` reads and writes it in place.
public struct ResNetClassifierModel: FederatedModel {
    public let classifier: MultiLabelClassifier
    public let loss: LossConfiguration

    public init(classifier: MultiLabelClassifier, loss: LossConfiguration) {
        self.classifier = classifier
        self.loss = loss
    }

    public var state: ParameterSet {
        get { classifier.state }
        nonmutating set { classifier.state = newValue }
    }

    public var featureDimension: Int { classifier.configuration.featureDimension }

    public func lossAndGradients(images: ImageBatch, labels: [Float]) -> (loss: Float, gradients: ParameterSet) {
        classifier.lossAndGradients(images: images, labels: labels, loss: loss)
    }

    public func predict(images: ImageBatch) -> [Float] {
        classifier.predict(images: images)
    }

    public func pooledFeatures(images: ImageBatch) -> [Float] {
        classifier.pooledFeatures(images: images)
    }
}
