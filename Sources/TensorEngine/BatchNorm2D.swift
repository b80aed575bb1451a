/// What a training-mode batch-norm forward returns: the output and the per-channel batch statistics the backward
/// needs.
public struct BatchNorm2DForward: Sendable {
    /// `[N, C, H, W]`.
    public var output: Tensor
    /// `[C]`: batch mean over N, H, W.
    public var mean: Tensor
    /// `[C]`: `1 / sqrt(biasedVariance + epsilon)`.
    public var inverseStd: Tensor
}

/// Gradients of a batch norm: input `[N, C, H, W]`, gamma and beta `[C]`.
public struct BatchNorm2DGradients: Sendable {
    public var input: Tensor
    public var gamma: Tensor
    public var beta: Tensor
}

/// Training-mode batch normalisation over NCHW (PyTorch `BatchNorm2d.train()`):
/// `y = (x - mean_c) * invstd_c * gamma_c + beta_c` with the batch mean and the BIASED batch variance over
/// `M = N * H * W` values, `invstd = 1 / sqrt(var + epsilon)`. Updates the running statistics in place like
/// PyTorch: `running = (1 - momentum) * running + momentum * batch`, with the UNBIASED variance
/// `var * M / (M - 1)` for `runningVariance` (M must be > 1). Defaults: momentum 0.1, epsilon 1e-5.
/// Parallel over channels; every channel is reduced by one worker in a fixed order (deterministic).
func batchNorm2dForwardTraining(
    input: Tensor, gamma: Tensor, beta: Tensor, runningMean: inout Tensor, runningVariance: inout Tensor,
    momentum: Float = 0.1, epsilon: Float = 1e-5
) -> BatchNorm2DForward {
    let (batch, channels, planeSize) = batchNormShapes(input: input, gamma: gamma, beta: beta)
    precondition(runningMean.shape == [channels] && runningVariance.shape == [channels],
                 "batchNorm2d: running statistics must be [\(channels)]")
    let valuesPerChannel = batch * planeSize
    precondition(valuesPerChannel > 1, "batchNorm2d: training needs more than one value per channel, got \(input.shape)")
    var output = Tensor(uninitializedShape: input.shape)  // every element written below
    var mean = Tensor.zeros([channels])
    var inverseStd = Tensor.zeros([channels])
    var variance = [Float](repeating: 0, count: channels)
    let channelStride = planeSize
    let imageStride = channels * planeSize
    input.withUnsafePointer { x in
        gamma.withUnsafePointer { scale in
            beta.withUnsafePointer { shift in
                output.withUnsafeMutablePointer { y in
                    mean.withUnsafeMutablePointer { meanPointer in
                        inverseStd.withUnsafeMutablePointer { inversePointer in
                            variance.withUnsafeMutableBufferPointer { variancePointer in
                                EngineThreads.parallelChunks(total: channels) { _, range in
                                    for channel in range {
                                        var total = 0.0
                                        for image in 0..<batch {
                                            total += Double(VectorKernels.sum(
                                                x + image * imageStride + channel * channelStride, planeSize))
                                        }
                                        let channelMean = Float(total / Double(valuesPerChannel))
                                        var squares = 0.0
                                        for image in 0..<batch {
                                            squares += Double(VectorKernels.sumOfSquaredDeviations(
                                                x + image * imageStride + channel * channelStride, planeSize,
                                                center: channelMean))
                                        }
                                        let biasedVariance = Float(squares / Double(valuesPerChannel))
                                        let inverse = 1 / (biasedVariance + epsilon).squareRoot()
                                        meanPointer[channel] = channelMean
                                        inversePointer[channel] = inverse
                                        variancePointer[channel] = biasedVariance
                                        let factor = inverse * scale[channel]
                                        let offset = shift[channel] - channelMean * factor
                                        for image in 0..<batch {
                                            let base = image * imageStride + channel * channelStride
                                            let source = x + base, destination = y + base
                                            for index in 0..<planeSize {
                                                destination[index] = source[index] * factor + offset
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    let correction = Float(valuesPerChannel) / Float(valuesPerChannel - 1)
    for channel in 0..<channels {
        runningMean.storage[channel] = (1 - momentum) * runningMean.storage[channel] + momentum * mean.storage[channel]
        runningVariance.storage[channel] = (1 - momentum) * runningVariance.storage[channel]
            + momentum * variance[channel] * correction
    }
    return BatchNorm2DForward(output: output, mean: mean, inverseStd: inverseStd)
}

/// Inference-mode batch norm (PyTorch `BatchNorm2d.eval()`): normalises with the running statistics,
/// `y = (x - runningMean_c) / sqrt(runningVariance_c + epsilon) * gamma_c + beta_c`. Shapes as in training.
func batchNorm2dForwardInference(
    input: Tensor, gamma: Tensor, beta: Tensor, runningMean: Tensor, runningVariance: Tensor, epsilon: Float = 1e-5
) -> Tensor {
    let (batch, channels, planeSize) = batchNormShapes(input: input, gamma: gamma, beta: beta)
    precondition(runningMean.shape == [channels] && runningVariance.shape == [channels],
                 "batchNorm2d: running statistics must be [\(channels)]")
    var output = Tensor(uninitializedShape: input.shape)  // every element written below
    var factors = [Float](repeating: 0, count: channels)
    var offsets = [Float](repeating: 0, count: channels)
    for channel in 0..<channels {
        let factor = gamma.storage[channel] / (runningVariance.storage[channel] + epsilon).squareRoot()
        factors[channel] = factor
        offsets[channel] = beta.storage[channel] - runningMean.storage[channel] * factor
    }
    input.withUnsafePointer { x in
        output.withUnsafeMutablePointer { y in
            EngineThreads.parallelChunks(total: batch * channels) { _, range in
                for plane in range {
                    let factor = factors[plane % channels], offset = offsets[plane % channels]
                    let source = x + plane * planeSize, destination = y + plane * planeSize
                    for index in 0..<planeSize { destination[index] = source[index] * factor + offset }
                }
            }
        }
    }
    return output
}

/// Backward of `batchNorm2dForwardTraining` (batch statistics), with `xhat = (x - mean) * invstd`:
/// `dbeta = sum dy`, `dgamma = sum dy * xhat`, `dx = gamma * invstd / M * (M * dy - dbeta - xhat * dgamma)`.
/// `saved` is the forward's result (only `mean` and `inverseStd` are read).
func batchNorm2dBackward(
    outputGradient: Tensor, input: Tensor, gamma: Tensor, saved: BatchNorm2DForward
) -> BatchNorm2DGradients {
    let (batch, channels, planeSize) = batchNormShapes(input: input, gamma: gamma, beta: gamma)
    precondition(outputGradient.shape == input.shape, "batchNorm2d backward: gradient \(outputGradient.shape) vs input \(input.shape)")
    let count = Float(batch * planeSize)
    let imageStride = channels * planeSize
    var inputGradient = Tensor(uninitializedShape: input.shape)  // every element written below
    var gammaGradient = Tensor.zeros([channels])
    var betaGradient = Tensor.zeros([channels])
    input.withUnsafePointer { x in
        outputGradient.withUnsafePointer { dy in
            inputGradient.withUnsafeMutablePointer { dx in
                gammaGradient.withUnsafeMutablePointer { dgamma in
                    betaGradient.withUnsafeMutablePointer { dbeta in
                        EngineThreads.parallelChunks(total: channels) { _, range in
                            for channel in range {
                                let mean = saved.mean.storage[channel], inverse = saved.inverseStd.storage[channel]
                                var sumGradient = 0.0, sumProduct = 0.0
                                for image in 0..<batch {
                                    let base = image * imageStride + channel * planeSize
                                    sumGradient += Double(VectorKernels.sum(dy + base, planeSize))
                                    sumProduct += Double(VectorKernels.dotCentered(dy + base, x + base, planeSize,
                                                                                   center: mean))
                                }
                                let betaValue = Float(sumGradient)
                                let gammaValue = Float(sumProduct) * inverse
                                dbeta[channel] = betaValue
                                dgamma[channel] = gammaValue
                                // dx = a * dy + b * x + c
                                let a = gamma.storage[channel] * inverse
                                let b = -a * inverse * gammaValue / count
                                let c = -a * betaValue / count - b * mean
                                for image in 0..<batch {
                                    let base = image * imageStride + channel * planeSize
                                    let g = dy + base, source = x + base, destination = dx + base
                                    for index in 0..<planeSize {
                                        destination[index] = a * g[index] + b * source[index] + c
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return BatchNorm2DGradients(input: inputGradient, gamma: gammaGradient, beta: betaGradient)
}

/// Checks `[N, C, H, W]` input and `[C]` parameters; returns (N, C, H * W).
private func batchNormShapes(input: Tensor, gamma: Tensor, beta: Tensor) -> (Int, Int, Int) {
    precondition(input.rank == 4, "batchNorm2d: input must be [N, C, H, W], got \(input.shape)")
    let channels = input.shape[1]
    precondition(gamma.shape == [channels] && beta.shape == [channels],
                 "batchNorm2d: gamma \(gamma.shape) and beta \(beta.shape) must be [\(channels)]")
    return (input.shape[0], channels, input.shape[2] * input.shape[3])
}
