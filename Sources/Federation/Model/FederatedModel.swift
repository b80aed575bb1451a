import NeuralNet

/// What the federated algorithms need from a model: its flat state and a training/evaluation interface.
///
/// The model owns its loss (BCE for the baselines; BCE + rejection + contrastive for FedNCAlign-ML) and its
/// preprocessing (gray to RGB, resizing, normalisation). Conformers: `PooledLinearModel` (quick runs and tests)
/// and the NeuralNet classifier adapter.
public protocol FederatedModel {
    /// Every parameter and buffer; buffers (`isTrainable == false`, e.g. batch-norm running statistics) are
    /// averaged by aggregation and skipped by optimisers and gradient terms.
    var state: ParameterSet { get set }

    /// Feature dimension `d` of `pooledFeatures`.
    var featureDimension: Int { get }

    /// Train mode: mean loss over the batch and its gradient with respect to `state` (zeros for buffers).
    /// Updates running statistics in `state`. `labels`: `images.count x K` row-major, 0 or 1.
    mutating func lossAndGradients(images: ImageBatch, labels: [Float]) -> (loss: Float, gradients: ParameterSet)

    /// Eval mode: per-class probabilities, `images.count x K` row-major.
    func predict(images: ImageBatch) -> [Float]

    /// Eval mode: the pooled features the classifier sees, `images.count x featureDimension` row-major.
    func pooledFeatures(images: ImageBatch) -> [Float]

    /// Called once before a client's local round, with the round's global model (already in `state`), so a model
    /// that trains with the global model's help (FedLGT) can keep it, and seed its draws for `round` and `client`
    /// from the run's `seed`. Default: nothing.
    mutating func beginLocalTraining(global: ParameterSet, round: Int, client: Int, seed: UInt64)
}

extension FederatedModel {
    public mutating func beginLocalTraining(global: ParameterSet, round: Int, client: Int, seed: UInt64) {}
}

/// An optimiser over a flat parameter set; a fresh one is made for every client and round.
public protocol ParameterOptimizer {
    /// The step size of the next `step` (local training sets it per step under a learning-rate schedule).
    var learningRate: Float { get set }
    /// One update of the trainable entries of `parameters` from `gradients` (same layout).
    mutating func step(_ parameters: inout ParameterSet, gradients: ParameterSet)
}
