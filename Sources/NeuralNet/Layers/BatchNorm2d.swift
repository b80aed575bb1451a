/// Batch normalisation over `[B, C, H, W]` per channel, as `torch.nn.BatchNorm2d` (eps 1e-5, momentum 0.1).
///
/// Train mode normalises with the batch mean and biased variance and updates the running statistics in the state:
/// `running = 0.9 * running + 0.1 * batch` (the variance term unbiased, times n/(n-1)); `num_batches_tracked += 1`.
/// Eval mode normalises with the running statistics. Sums accumulate in Double.
final class BatchNorm2d {
    let channels: Int
    let epsilon: Double = 1e-5
    let momentum: Double = 0.1
    let weight: Int
    let bias: Int
    let runningMean: Int
    let runningVariance: Int
    let batchesTracked: Int
    private var normalized: [Float] = []
    private var inverseStandardDeviation: [Float] = []

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
        var output = x
        let (plane, batch, channels) = (x.spatial, x.batch, channels)
        let count = batch * plane
        let values = state.values
        let (weight, bias, runningMean, runningVariance) = (weight, bias, runningMean, runningVariance)
        let (epsilon, momentum) = (epsilon, momentum)
        if !training {
            output.values.withUnsafeMutableBufferPointer { target in
                let target = target.baseAddress!
                Parallel.forEach(channels) { channel in
                    let scale = Float(Double(values[weight + channel])
                        / (Double(values[runningVariance + channel]) + epsilon).squareRoot())
                    let shift = values[bias + channel] - Float(Double(values[runningMean + channel])) * scale
                    for image in 0..<batch {
                        let line = target + (image * channels + channel) * plane
                        for index in 0..<plane { line[index] = line[index] * scale + shift }
                    }
                }
            }
            normalized = []
            return output
        }
        precondition(count > 1, "BatchNorm2d: train mode needs more than one value per channel")
        var normalized = x.values
        var inverse = [Float](repeating: 0, count: channels)
        normalized.withUnsafeMutableBufferPointer { normalizedBuffer in
            output.values.withUnsafeMutableBufferPointer { target in
                inverse.withUnsafeMutableBufferPointer { inverse in
                    let (normalizedBase, target, inverse) = (normalizedBase(normalizedBuffer), target.baseAddress!,
                                                             inverse.baseAddress!)
                    Parallel.forEach(channels) { channel in
                        var sum = 0.0
                        for image in 0..<batch {
                            let line = target + (image * channels + channel) * plane
                            for index in 0..<plane { sum += Double(line[index]) }
                        }
                        let mean = sum / Double(count)
                        var squares = 0.0
                        for image in 0..<batch {
                            let line = target + (image * channels + channel) * plane
                            for index in 0..<plane {
                                let centered = Double(line[index]) - mean
                                squares += centered * centered
                            }
                        }
                        let variance = squares / Double(count)
                        let inverseDeviation = 1 / (variance + epsilon).squareRoot()
                        inverse[channel] = Float(inverseDeviation)
                        let (gamma, beta) = (values[weight + channel], values[bias + channel])
                        let (meanF, inverseF) = (Float(mean), Float(inverseDeviation))
                        for image in 0..<batch {
                            let offset = (image * channels + channel) * plane
                            for index in offset..<(offset + plane) {
                                let hat = (target[index] - meanF) * inverseF
                                normalizedBase[index] = hat
                                target[index] = hat * gamma + beta
                            }
                        }
                        let unbiased = variance * Double(count) / Double(count - 1)
                        values[runningMean + channel] = Float((1 - momentum) * Double(values[runningMean + channel])
                            + momentum * mean)
                        values[runningVariance + channel] = Float((1 - momentum)
                            * Double(values[runningVariance + channel]) + momentum * unbiased)
                    }
                }
            }
        }
        values[batchesTracked] += 1
        self.normalized = normalized
        inverseStandardDeviation = inverse
        return output
    }

    /// Accumulates weight and bias gradients; returns the input gradient (train-mode statistics).
    func backward(_ outputGradient: FeatureMap, _ state: StateAccess) -> FeatureMap {
        precondition(normalized.count == outputGradient.values.count, "BatchNorm2d.backward before a train forward")
        var inputGradient = outputGradient
        let (plane, batch, channels) = (outputGradient.spatial, outputGradient.batch, channels)
        let count = Double(batch * plane)
        let (values, gradients) = (state.values, state.requiredGradients)
        let (weight, bias) = (weight, bias)
        normalized.withUnsafeBufferPointer { normalized in
            inverseStandardDeviation.withUnsafeBufferPointer { inverse in
                inputGradient.values.withUnsafeMutableBufferPointer { target in
                    let (normalized, inverse, target) = (normalized.baseAddress!, inverse.baseAddress!,
                                                         target.baseAddress!)
                    Parallel.forEach(channels) { channel in
                        var sumGradient = 0.0
                        var sumProduct = 0.0
                        for image in 0..<batch {
                            let offset = (image * channels + channel) * plane
                            for index in offset..<(offset + plane) {
                                let g = Double(target[index])
                                sumGradient += g
                                sumProduct += g * Double(normalized[index])
                            }
                        }
                        gradients[weight + channel] += Float(sumProduct)
                        gradients[bias + channel] += Float(sumGradient)
                        let factor = Float(Double(values[weight + channel]) * Double(inverse[channel]) / count)
                        let (meanGradient, meanProduct) = (Float(sumGradient), Float(sumProduct))
                        let n = Float(count)
                        for image in 0..<batch {
                            let offset = (image * channels + channel) * plane
                            for index in offset..<(offset + plane) {
                                target[index] = factor * (n * target[index] - meanGradient
                                    - normalized[index] * meanProduct)
                            }
                        }
                    }
                }
            }
        }
        normalized = []
        inverseStandardDeviation = []
        return inputGradient
    }
}

private func normalizedBase(_ buffer: UnsafeMutableBufferPointer<Float>) -> UnsafeMutablePointer<Float> {
    guard let base = buffer.baseAddress else { preconditionFailure("empty batch-norm input") }
    return base
}
