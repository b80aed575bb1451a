import Foundation
import SeededRandom
import TensorEngine

/// ResNet-18 backbone plus a multi-label head: the model the trainer trains, evaluates and aggregates.
///
/// All parameters and buffers live in `state` under torchvision's names (`conv1.weight`, `bn1.running_mean`,
/// `layer2.0.downsample.0.weight`, ...) followed by the head's (`head.*`, see docs/model.md). Not trainable:
/// batch-norm running statistics and `num_batches_tracked`, the ETF (`head.etf`, unless `etfTraining` trains it) or
/// sphere classifier (`head.classifier`), and random queries. Not thread-safe: one instance per concurrent user.
public final class MultiLabelClassifier {
    /// The architecture.
    public let configuration: ModelConfiguration
    /// Every parameter and buffer (see the type's documentation). Assign a state with the same layout only
    /// (checked at the next forward pass).
    public var state: ParameterSet
    /// The engine backend every layer of this model calls (tensor allocation and kernels).
    public let backend: any EngineBackend
    private let layout: [ParameterSet.Entry]
    let backbone: ResNet18
    let head: any ClassifierHead

    /// A freshly initialised model, drawn from `Xoshiro256StarStar(seed: seed, stream: "model/backbone")` (backbone: Kaiming-normal
    /// convolutions, fan_out/ReLU, as torchvision; batch norm weight 1, bias 0) and stream `"model/head"` (head: PyTorch's default
    /// Linear/MultiheadAttention initialisation, the sphere classifier, random queries). Every layer runs on
    /// `backend` (default the CPU).
    public init(configuration: ModelConfiguration, seed: UInt64, backend: any EngineBackend = CPUBackend()) {
        precondition(configuration.classCount >= 2, "ModelConfiguration: classCount must be at least 2")
        precondition(configuration.inputSize >= 8, "ModelConfiguration: inputSize must be at least 8")
        self.configuration = configuration
        self.backend = backend
        let d = configuration.featureDimension
        var builder = LayoutBuilder()
        let backbone = ResNet18(&builder, stem: configuration.stem, widths: configuration.stageWidths)
        let head: any ClassifierHead
        switch configuration.head {
        case .mlp:
            head = MLPHead(&builder, classes: configuration.classCount, dimension: d,
                           hiddenFeatures: configuration.mlpHiddenFeatures)
        case .ladmETF:
            head = ETFHead(&builder, classes: configuration.classCount, dimension: d, queryMode: configuration.queries,
                           useLADM: configuration.useLADM, logitScale: configuration.logitScale,
                           etfTraining: configuration.etfTraining)
        case .sphere:
            head = SphereHead(&builder, classes: configuration.classCount, dimension: d,
                              logitScale: configuration.sphereScale)
        }
        if let problem = configuration.etfTrainingProblem { preconditionFailure("ModelConfiguration: \(problem)") }
        var state = backbone.initialState(builder, seed: seed) { head.initialize($0, random: &$1) }
        if configuration.head == .ladmETF, let timing = configuration.etfTraining.queryTie {
            state.tie(ETFHead.queryAliasName, to: "head.etf", timing: timing)
        }
        self.state = state
        self.layout = state.entries
        self.backbone = backbone
        self.head = head
    }

    /// Train mode (batch-norm batch statistics; running stats updated in `state`). `labels`: B x K row-major, 0/1.
    /// Returns the batch's total loss (see `LossConfiguration`) and its gradient for every entry of `state`
    /// (zero for buffers).
    public func lossAndGradients(images: ImageBatch, labels: [Float], loss: LossConfiguration)
        -> (loss: Float, gradients: ParameterSet) {
        let result = trainingStep(input: backboneInput(images), labels: labels, loss: loss)
        return (result.terms.total, result.gradients)
    }

    /// Eval mode: per-class probabilities sigmoid(logit), B x K row-major.
    public func predict(images: ImageBatch) -> [Float] {
        let logits = evaluationScores(input: backboneInput(images)).logits
        return backend.download(backend.sigmoidForward(backend.tensor(shape: [logits.count], values: logits)))
    }

    /// Eval mode: pooled backbone features (global average of layer4), B x d row-major (SphereFed calibration).
    public func pooledFeatures(images: ImageBatch) -> [Float] {
        guard images.count > 0 else { return [] }
        let input = backboneInput(images)
        return withState { access in
            GlobalAveragePool.forward(backbone.forward(input, access, training: false), backend)
        }
    }
}

extension MultiLabelClassifier {
    /// One train-mode forward and backward pass on a preprocessed input `[B, 3, S, S]`: the loss terms and the
    /// gradient of their total.
    package func trainingStep(input: FeatureMap, labels: [Float], loss: LossConfiguration)
        -> (terms: LossTerms, gradients: ParameterSet, scores: HeadScores) {
        precondition(input.batch > 0, "lossAndGradients: empty batch")
        precondition(labels.count == input.batch * configuration.classCount,
                     "lossAndGradients: expected \(input.batch) x \(configuration.classCount) labels, got \(labels.count)")
        let result = step(input, throughBackbone: true, labels: labels, loss: loss)
        return (result.terms, result.gradients, result.scores)
    }

    /// One train-mode forward and backward pass of the head alone on a layer4 feature map `[B, d, h, w]`: the loss
    /// terms, the gradient of their total (head entries; the backbone's stay zero), the head's scores and the
    /// gradient w.r.t. `features`.
    package func headTrainingStep(features: FeatureMap, labels: [Float], loss: LossConfiguration)
        -> (terms: LossTerms, gradients: ParameterSet, scores: HeadScores, featureGradient: FeatureMap) {
        precondition(labels.count == features.batch * configuration.classCount,
                     "headTrainingStep: expected \(features.batch) x \(configuration.classCount) labels")
        return step(features, throughBackbone: false, labels: labels, loss: loss)
    }

    /// Forward and backward through the backbone (when `throughBackbone`; `input` is then the image tensor) and the
    /// head (`input` is the layer4 map otherwise).
    private func step(_ input: FeatureMap, throughBackbone: Bool, labels: [Float], loss: LossConfiguration)
        -> (terms: LossTerms, gradients: ParameterSet, scores: HeadScores, featureGradient: FeatureMap) {
        let (outcome, gradients) = withTrainingState { access in
            let features = throughBackbone ? backbone.forward(input, access, training: true) : input
            let scores = head.forward(features, access, training: true)
            let evaluated = MultiLabelLoss.evaluate(scores, labels: labels, configuration: loss, backend: backend)
            let featureGradient = head.backward(scoreGradient: evaluated.scoreGradient,
                                                featureGradient: evaluated.featureGradient,
                                                prototypeGradient: evaluated.prototypeGradient, access)
            if throughBackbone { backbone.backward(featureGradient, access) }
            return (terms: evaluated.terms, scores: scores, featureGradient: featureGradient)
        }
        return (outcome.terms, gradients, outcome.scores, outcome.featureGradient)
    }

    /// Eval-mode head scores for a preprocessed input `[B, 3, S, S]`.
    package func evaluationScores(input: FeatureMap) -> HeadScores {
        guard input.batch > 0 else {
            return HeadScores(batch: 0, classes: configuration.classCount, columns: 1, scores: [], features: [],
                              featureRows: 0, featureDimension: configuration.featureDimension, prototypes: nil)
        }
        return withState { access in
            head.forward(backbone.forward(input, access, training: false), access, training: false)
        }
    }

    /// Runs `body` with raw access to `state`, without gradients (eval passes).
    private func withState<Result>(_ body: (StateAccess) -> Result) -> Result {
        precondition(state.entries == layout, "MultiLabelClassifier.state was replaced by a set with another layout")
        return state.withStateAccess(backend: backend, body)
    }

    /// Runs `body` with raw access to `state` and a zeroed gradient set; returns its result and the gradients.
    private func withTrainingState<Result>(_ body: (StateAccess) -> Result)
        -> (result: Result, gradients: ParameterSet) {
        precondition(state.entries == layout, "MultiLabelClassifier.state was replaced by a set with another layout")
        return state.withTrainingAccess(backend: backend, body)
    }
}

extension MultiLabelClassifier {
    /// `images` as the backbone's input `[B, 3, S, S]` on this model's backend.
    func backboneInput(_ images: ImageBatch) -> FeatureMap {
        ImagePreprocessing.backboneInput(images, size: configuration.inputSize, backend: backend)
    }
}
