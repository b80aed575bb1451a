import Foundation
import SeededRandom
import TensorEngine

/// FedLGT's model: ResNet-18 backbone plus `CTranHead`, trained with label-mask training (some labels revealed as
/// states, binary cross-entropy on the unknown ones). State names: torchvision's for the backbone, `head.*` (see
/// `CTranHead`). Not trainable: batch-norm buffers and the two frozen embeddings. Not thread-safe.
package final class LabelTransformerClassifier {
    package let configuration: LabelTransformerConfiguration
    /// Every parameter and buffer. Assign a state with the same layout only.
    package var state: ParameterSet
    /// The engine backend every layer of this model calls (tensor allocation and kernels).
    package let backend: any EngineBackend
    private let layout: [ParameterSet.Entry]
    let backbone: ResNet18
    let head: CTranHead

    /// Backbone drawn from stream `"model/backbone"` (as `MultiLabelClassifier`, so one seed gives both models the
    /// same backbone), head from `"model/head"`; embeddings zero until `setLabelEmbeddings(_:)`. Every layer runs
    /// on `backend` (default the CPU).
    package init(configuration: LabelTransformerConfiguration, seed: UInt64,
                 backend: any EngineBackend = CPUBackend()) {
        precondition(configuration.classCount >= 2, "LabelTransformerConfiguration: classCount must be at least 2")
        self.configuration = configuration
        self.backend = backend
        var builder = LayoutBuilder()
        let widths = configuration.stageWidths
        let backbone = ResNet18(&builder, stem: configuration.stem, widths: widths)
        let head = CTranHead(&builder, classes: configuration.classCount, inputChannels: widths[3],
                         dimension: configuration.dimension, heads: configuration.heads,
                         layerCount: configuration.layers)
        let state = backbone.initialState(builder, seed: seed) { head.initialize($0, random: &$1) }
        self.state = state
        layout = state.entries
        self.backbone = backbone
        self.head = head
    }

    /// Fills the frozen embeddings from a `[K + 2, d]` row-major table: rows 0..<K the class prompts
    /// ("The photo contains {class}."), row K "positive", row K + 1 "negative" (see `LabelEmbeddingsFile`).
    package func setLabelEmbeddings(_ table: [Float]) {
        let (k, d) = (configuration.classCount, configuration.dimension)
        precondition(table.count == (k + 2) * d, "setLabelEmbeddings: expected \(k + 2) x \(d) values")
        state.setValues(of: "head.label_embedding", to: Array(table[0..<(k * d)]))
        state.setValues(of: "head.state_embedding",
                        to: [Float](repeating: 0, count: d) + Array(table[(k * d)..<((k + 2) * d)]))
    }

    /// Train mode on a preprocessed input `[B, 3, S, S]`: logits `[B, K]`, the loss (binary cross-entropy with
    /// logits SUMMED over the entries whose state is `.unknown`, as FedLGT's `run_epoch`) and its gradient for
    /// every entry of `state` (zero for buffers and embeddings).
    package func trainingStep(input: FeatureMap, labels: [Float], states: [LabelState], dropout: (any DropoutMasks)?)
        -> (loss: Float, gradients: ParameterSet, logits: [Float]) {
        step(labels: labels, states: states, dropout: dropout) { access in
            backbone.forward(input, access, training: true)
        } backward: { featureGradient, access in
            backbone.backward(featureGradient, access)
        }
    }

    /// `trainingStep` for the head alone, on a given layer4 map `[B, c, h, w]` (checks against PyTorch): also
    /// returns the map's gradient.
    package func headTrainingStep(features: FeatureMap, labels: [Float], states: [LabelState],
                                  dropout: (any DropoutMasks)?)
        -> (loss: Float, gradients: ParameterSet, logits: [Float], featureGradient: FeatureMap) {
        var featureGradient: FeatureMap?
        let result = step(labels: labels, states: states, dropout: dropout) { _ in features } backward: { gradient, _ in
            featureGradient = gradient
        }
        guard let featureGradient else { preconditionFailure("head step produced no feature gradient") }
        return (result.loss, result.gradients, result.logits, featureGradient)
    }

    /// Eval-mode head logits `[B, K]` on a given layer4 map.
    package func headLogits(features: FeatureMap, states: [LabelState]) -> [Float] {
        withState { access in
            head.forward(features, states: states, access, dropout: nil, training: false)
        }
    }

    private func step(labels: [Float], states: [LabelState], dropout: (any DropoutMasks)?,
                      forward: (StateAccess) -> FeatureMap, backward: (FeatureMap, StateAccess) -> Void)
        -> (loss: Float, gradients: ParameterSet, logits: [Float]) {
        precondition(states.count == labels.count, "trainingStep: \(labels.count) labels but \(states.count) states")
        let (result, gradients) = withTrainingState { access in
            let features = forward(access)
            precondition(labels.count == features.batch * configuration.classCount,
                         "trainingStep: expected \(features.batch) x \(configuration.classCount) labels")
            let logits = head.forward(features, states: states, access, dropout: dropout, training: true)
            let (loss, logitGradient) = Self.unknownLabelLoss(logits: logits, labels: labels, states: states, backend)
            backward(head.backward(logitGradient, access), access)
            return (loss: loss, logits: logits)
        }
        return (result.loss, gradients, result.logits)
    }

    /// `sum over unknown entries of BCE(sigmoid(x), y)` and its gradient `sigmoid(x) - y` there (0 elsewhere),
    /// on `backend`.
    static func unknownLabelLoss(logits: [Float], labels: [Float], states: [LabelState],
                                 _ backend: any EngineBackend) -> (Float, [Float]) {
        let shape = [logits.count]
        let terms = backend.binaryCrossEntropyTerms(
            logits: backend.tensor(shape: shape, values: logits), targets: backend.tensor(shape: shape, values: labels),
            included: backend.tensor(shape: shape, values: states.map { $0 == .unknown ? 1 : 0 }), gradientScale: 1)
        return (backend.download(terms.sum)[0], backend.download(terms.gradient))
    }

    /// Train mode on 8-bit images (see `ImagePreprocessing`).
    package func lossAndGradients(images: ImageBatch, labels: [Float], states: [LabelState],
                                  dropout: (any DropoutMasks)?) -> (loss: Float, gradients: ParameterSet) {
        let step = trainingStep(input: backboneInput(images), labels: labels, states: states, dropout: dropout)
        return (step.loss, step.gradients)
    }

    /// Eval mode logits `[B, K]` with the given states (all `.unknown` at test time).
    package func logits(input: FeatureMap, states: [LabelState]) -> [Float] {
        guard input.batch > 0 else { return [] }
        return withState { access in
            head.forward(backbone.forward(input, access, training: false), states: states, access, dropout: nil,
                         training: false)
        }
    }

    /// Eval mode probabilities sigmoid(logit) `[B, K]`, every label unknown.
    package func predict(images: ImageBatch) -> [Float] {
        let states = [LabelState](repeating: .unknown, count: images.count * configuration.classCount)
        let logits = logits(input: backboneInput(images), states: states)
        return backend.download(backend.sigmoidForward(backend.tensor(shape: [logits.count], values: logits)))
    }

    /// Runs `body` with raw access to `state`, without gradients (eval passes).
    private func withState<Result>(_ body: (StateAccess) -> Result) -> Result {
        precondition(state.entries == layout, "LabelTransformerClassifier.state was replaced by another layout")
        return state.withStateAccess(backend: backend, body)
    }

    /// Runs `body` with raw access to `state` and a zeroed gradient set; returns its result and the gradients.
    private func withTrainingState<Result>(_ body: (StateAccess) -> Result)
        -> (result: Result, gradients: ParameterSet) {
        precondition(state.entries == layout, "LabelTransformerClassifier.state was replaced by another layout")
        return state.withTrainingAccess(backend: backend, body)
    }
}

extension LabelTransformerClassifier {
    /// Eval mode: the backbone's global-average-pooled layer4 features, `B x c` row-major.
    package func pooledFeatures(images: ImageBatch) -> [Float] {
        guard images.count > 0 else { return [] }
        let input = backboneInput(images)
        return withState { access in
            GlobalAveragePool.forward(backbone.forward(input, access, training: false), backend)
        }
    }
}

extension LabelTransformerClassifier {
    /// `images` as the backbone's input `[B, 3, S, S]` on this model's backend.
    func backboneInput(_ images: ImageBatch) -> FeatureMap {
        ImagePreprocessing.backboneInput(images, size: configuration.inputSize, backend: backend)
    }
}
