/// Layer norm's output and the per-row statistics its backward needs.
public struct LayerNormForward: Sendable {
    /// Same shape as the input.
    public var output: Tensor
    /// `[rows]`: mean of each row (a row is the last dimension).
    public var mean: Tensor
    /// `[rows]`: `1 / sqrt(biasedVariance + epsilon)` of each row.
    public var inverseStd: Tensor
}

/// Gradients of a layer norm: input `[..., D]`, gamma and beta `[D]`.
public struct LayerNormGradients: Sendable {
    public var input: Tensor
    public var gamma: Tensor
    public var beta: Tensor
}

/// Layer normalisation over the last dimension (PyTorch `LayerNorm(D)`, eps 1e-5 by default):
/// `y = (x - mean) / sqrt(biasedVariance + epsilon) * gamma + beta`, per row. `input` is `[..., D]`, `gamma` and
/// `beta` `[D]`.
func layerNormForward(input: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float = 1e-5) -> LayerNormForward {
    let (rows, width) = layerNormShapes(input: input, gamma: gamma, beta: beta)
    var output = Tensor.zeros(input.shape)
    var mean = Tensor.zeros([rows]), inverseStd = Tensor.zeros([rows])
    input.withUnsafePointer { x in
        output.withUnsafeMutablePointer { y in
            mean.withUnsafeMutablePointer { meanPointer in
                inverseStd.withUnsafeMutablePointer { inversePointer in
                    gamma.withUnsafePointer { scale in
                        beta.withUnsafePointer { shift in
                            for row in 0..<rows {
                                let source = x + row * width, destination = y + row * width
                                let rowMean = VectorKernels.sum(source, width) / Float(width)
                                let variance = VectorKernels.sumOfSquaredDeviations(source, width, center: rowMean)
                                    / Float(width)
                                let inverse = 1 / (variance + epsilon).squareRoot()
                                meanPointer[row] = rowMean
                                inversePointer[row] = inverse
                                for index in 0..<width {
                                    destination[index] = (source[index] - rowMean) * inverse * scale[index] + shift[index]
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    return LayerNormForward(output: output, mean: mean, inverseStd: inverseStd)
}

/// Backward of `layerNormForward`, with `xhat = (x - mean) * invstd` and `g = dy * gamma` per row:
/// `dx = invstd * (g - mean(g) - xhat * mean(g * xhat))`, `dgamma = sum over rows of dy * xhat`,
/// `dbeta = sum over rows of dy`. `saved` is the forward's result.
func layerNormBackward(
    outputGradient: Tensor, input: Tensor, gamma: Tensor, saved: LayerNormForward
) -> LayerNormGradients {
    let (rows, width) = layerNormShapes(input: input, gamma: gamma, beta: gamma)
    precondition(outputGradient.shape == input.shape, "layerNorm backward: gradient \(outputGradient.shape) vs \(input.shape)")
    var inputGradient = Tensor.zeros(input.shape)
    var gammaGradient = Tensor.zeros([width]), betaGradient = Tensor.zeros([width])
    var normalized = [Float](repeating: 0, count: width), scaled = [Float](repeating: 0, count: width)
    input.withUnsafePointer { x in
        outputGradient.withUnsafePointer { dy in
            inputGradient.withUnsafeMutablePointer { dx in
                gammaGradient.withUnsafeMutablePointer { dgamma in
                    betaGradient.withUnsafeMutablePointer { dbeta in
                        gamma.withUnsafePointer { scale in
                            normalized.withUnsafeMutableBufferPointer { xhat in
                                scaled.withUnsafeMutableBufferPointer { g in
                                    for row in 0..<rows {
                                        let mean = saved.mean.storage[row], inverse = saved.inverseStd.storage[row]
                                        let source = x + row * width, gradient = dy + row * width
                                        var sumG: Float = 0, sumGX: Float = 0
                                        for index in 0..<width {
                                            let value = (source[index] - mean) * inverse
                                            xhat[index] = value
                                            let product = gradient[index] * scale[index]
                                            g[index] = product
                                            sumG += product
                                            sumGX += product * value
                                            dgamma[index] += gradient[index] * value
                                            dbeta[index] += gradient[index]
                                        }
                                        let meanG = sumG / Float(width), meanGX = sumGX / Float(width)
                                        let destination = dx + row * width
                                        for index in 0..<width {
                                            destination[index] = inverse * (g[index] - meanG - xhat[index] * meanGX)
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
    return LayerNormGradients(input: inputGradient, gamma: gammaGradient, beta: betaGradient)
}

/// Checks `[..., D]` input and `[D]` parameters; returns (rows, D).
private func layerNormShapes(input: Tensor, gamma: Tensor, beta: Tensor) -> (Int, Int) {
    precondition(input.rank >= 1, "layerNorm: input must have a last dimension")
    let width = input.shape[input.rank - 1]
    precondition(width > 0 && gamma.shape == [width] && beta.shape == [width],
                 "layerNorm: gamma \(gamma.shape) and beta \(beta.shape) must be [\(width)]")
    return (input.count / width, width)
}
