import TensorEngine

/// Batch normalisation over `[B, C, H, W]` per channel, as `torch.nn.BatchNorm2d` (eps 1e-5, momentum 0.1), on
/// the backend's batch-norm kernels. Tensors `<name>.weight`, `.bias`, `.running_mean`, `.running_var`,
/// `.num_batches_tracked` (the last three are buffers).
///
/// Train mode normalises with the batch mean and biased variance and updates the running statistics in the state:
/// `running = 0.9 * running + 0.1 * batch` (the variance term unbiased, times n/(n-1)); `num_batches_tracked += 1`.
/// Eval mode normalises with the running statistics.
final class BatchNorm2d {
    let channels: Int
    let weight: Int
    let bias: Int
    let runningMean: Int
    let runningVariance: Int
    let batchesTracked: Int
    private var cache: (input: Tensor, saved: BatchNorm2DForward)?
    /// torch.nn.BatchNorm2d's defaults.
    static let momentum: Float = 0.1
    static let epsilon: Float = 1e-5

    init(_ builder: inout LayoutBuilder, name: String, channels: Int) {
        self.channels = channels
        weight = builder.add("\(name).weight", [channels])
        bias = builder.add("\(name).bias", [channels])
        runningMean = builder.add("\(name).running_mean", [channels], trainable: false)
        runningVariance = builder.add("\(name).running_var", [channels], trainable: false)
        batchesTracked = builder.add("\(name).num_batches_tracked", [], trainable: false)
    }

    /// Weight 1, bias 0, running mean 0, running variance 1, no batches tracked.
    func initialize(_ values: UnsafeMutablePointer<Float>) {
        for channel in 0..<channels {
            values[weight + channel] = 1
            values[bias + channel] = 0
            values[runningMean + channel] = 0
            values[runningVariance + channel] = 1
        }
        values[batchesTracked] = 0
    }

    func forward(_ x: FeatureMap, _ state: StateAccess, training: Bool) -> FeatureMap {
        precondition(x.channels == channels, "BatchNorm2d: expected \(channels) channels, got \(x.channels)")
        let input = x.tensor(state.backend)
        let gamma = state.tensor(at: weight, shape: [channels])
        let beta = state.tensor(at: bias, shape: [channels])
        var mean = state.tensor(at: runningMean, shape: [channels])
        var variance = state.tensor(at: runningVariance, shape: [channels])
        guard training else {
            cache = nil
            return FeatureMap(state.backend.batchNorm2dForwardInference(input: input, gamma: gamma, beta: beta,
                                                                        runningMean: mean, runningVariance: variance,
                                                                        epsilon: Self.epsilon), state.backend)
        }
        var saved = state.backend.batchNorm2dForwardTraining(input: input, gamma: gamma, beta: beta,
                                                             runningMean: &mean, runningVariance: &variance,
                                                             momentum: Self.momentum, epsilon: Self.epsilon)
        state.store(mean, at: runningMean)
        state.store(variance, at: runningVariance)
        state.values[batchesTracked] += 1
        // The backward reads only the statistics: the cache must not share the output's storage, or the ReLU
        // that follows would copy it (copy-on-write) instead of working in place.
        let output = saved.output
        saved.output = state.backend.zeros([0])
        cache = (input, saved)
        return FeatureMap(output, state.backend)
    }

    /// Accumulates weight and bias gradients; returns the input gradient (train-mode statistics).
    func backward(_ outputGradient: FeatureMap, _ state: StateAccess) -> FeatureMap {
        guard let cache else { preconditionFailure("BatchNorm2d.backward before a train forward") }
        let gradients = state.backend.batchNorm2dBackward(outputGradient: outputGradient.tensor(state.backend),
                                                          input: cache.input,
                                                          gamma: state.tensor(at: weight, shape: [channels]),
                                                          saved: cache.saved)
        state.accumulateGradient(gradients.gamma, at: weight)
        state.accumulateGradient(gradients.beta, at: bias)
        self.cache = nil
        return FeatureMap(gradients.input, state.backend)
    }
}
