import NeuralNet
import SeededRandom

/// FedLGT's C-Tran model as a `FederatedModel`: label-mask training with the round's global model as guide.
///
/// Per local step and image: the guide (the round's global model, eval mode, every label unknown) scores the
/// classes; `LabelMaskSampler` reveals up to 0.75 K labels, never one the guide scores in [0.48, 0.52]; the loss is
/// BCE summed over the unknown labels. Masks come from stream `fedlgt/masks/<round>/<client>` of the run's seed,
/// dropout from `fedlgt/dropout/<round>/<client>`, so a resumed run draws what an uninterrupted one does.
/// Evaluation reveals nothing. The classifiers are reference types: `state` reads and writes in place.
public struct LabelTransformerModel: FederatedModel {
    let classifier: LabelTransformerClassifier
    private let guide: LabelTransformerClassifier
    private let draws: Draws

    /// The round's random sources (a class, so the non-mutating protocol requirements can draw).
    private final class Draws {
        var masks = Xoshiro256StarStar(seed: 0, stream: "fedlgt/masks")
        var dropout = SeededDropoutMasks(probability: 0, random: Xoshiro256StarStar(seed: 0))
        var guided = false
    }

    init(classifier: LabelTransformerClassifier) {
        self.classifier = classifier
        guide = LabelTransformerClassifier(configuration: classifier.configuration, seed: 0,
                                           backend: classifier.backend)
        draws = Draws()
    }

    public var state: ParameterSet {
        get { classifier.state }
        nonmutating set { classifier.state = newValue }
    }

    /// The backbone's layer4 width (the pooled features are the backbone's).
    public var featureDimension: Int { classifier.configuration.stageWidths[3] }

    public mutating func beginLocalTraining(global: ParameterSet, round: Int, client: Int, seed: UInt64) {
        guide.state = global
        draws.guided = true
        draws.masks = Xoshiro256StarStar(seed: seed, stream: "fedlgt/masks/\(round)/\(client)")
        draws.dropout = SeededDropoutMasks(probability: classifier.configuration.dropout,
                                           random: Xoshiro256StarStar(seed: seed, stream: "fedlgt/dropout/\(round)/\(client)"))
    }

    /// Train mode with label-mask training; the loss is BCE summed over the unknown labels.
    public func lossAndGradients(images: ImageBatch, labels: [Float]) -> (loss: Float, gradients: ParameterSet) {
        let k = classifier.configuration.classCount
        let guideScores = draws.guided ? guide.predict(images: images) : nil
        var states = [LabelState]()
        states.reserveCapacity(labels.count)
        for image in 0..<images.count {
            let rows = (image * k)..<((image + 1) * k)
            states += LabelMaskSampler.states(labels: Array(labels[rows]), globalProbabilities: guideScores.map { Array($0[rows]) },
                                              random: &draws.masks)
        }
        return classifier.lossAndGradients(images: images, labels: labels, states: states, dropout: draws.dropout)
    }

    public func predict(images: ImageBatch) -> [Float] {
        classifier.predict(images: images)
    }

    public func pooledFeatures(images: ImageBatch) -> [Float] {
        classifier.pooledFeatures(images: images)
    }
}
