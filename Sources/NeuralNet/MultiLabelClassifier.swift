import Foundation

/// ResNet-18 backbone plus a multi-label head: the model the trainer trains, evaluates and aggregates.
///
/// All parameters and buffers live in `state` under torchvision's names (`conv1.weight`, `bn1.running_mean`,
/// `layer2.0.downsample.0.weight`, ...) followed by the head's (`head.*`). Not trainable: batch-norm running
/// statistics and `num_batches_tracked`, the fixed ETF / sphere classifier and fixed or random queries.
public final class MultiLabelClassifier {
    /// The architecture.
    public let configuration: ModelConfiguration
    /// Every parameter and buffer (see the type's documentation).
    public var state: ParameterSet

    /// A freshly initialised model: Kaiming-normal convolutions (fan_out, ReLU) as torchvision, batch-norm weight 1
    /// and bias 0, PyTorch's default initialisation for the head, all drawn from `Xoshiro256StarStar(seed:)`.
    public init(configuration: ModelConfiguration, seed: UInt64) {
        self.configuration = configuration
        preconditionFailure("MultiLabelClassifier: not implemented yet")
    }

    /// Loads a torchvision/timm `resnet18` state dict saved as safetensors into the backbone (`fc.*` ignored,
    /// `num_batches_tracked` optional). Throws `PretrainedWeightsError` for missing or mismatched tensors.
    public func loadPretrained(from url: URL) throws {
        preconditionFailure("MultiLabelClassifier.loadPretrained: not implemented yet")
    }

    /// Train mode (batch-norm batch statistics; running stats updated in `state`). `labels`: B x K row-major, 0/1.
    /// Returns the mean loss over the batch and its gradient for every entry of `state` (zero for buffers).
    public func lossAndGradients(images: ImageBatch, labels: [Float], loss: LossConfiguration)
        -> (loss: Float, gradients: ParameterSet) {
        preconditionFailure("MultiLabelClassifier.lossAndGradients: not implemented yet")
    }

    /// Eval mode: per-class probabilities sigmoid(logit), B x K row-major.
    public func predict(images: ImageBatch) -> [Float] {
        preconditionFailure("MultiLabelClassifier.predict: not implemented yet")
    }

    /// Eval mode: pooled backbone features, B x d row-major (SphereFed calibration).
    public func pooledFeatures(images: ImageBatch) -> [Float] {
        preconditionFailure("MultiLabelClassifier.pooledFeatures: not implemented yet")
    }
}
