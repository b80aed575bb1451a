/// Max pooling's output and, for the backward, where each maximum came from.
public struct MaxPool2DForward: Sendable {
    /// `[N, C, Ho, Wo]`.
    public var output: Tensor
    /// For every output element, the flat index `y * W + x` of its maximum inside its `[H, W]` input plane.
    public var argmax: [Int32]
}

/// Max pooling over NCHW (PyTorch `max_pool2d`, no dilation, floor mode): `[N, C, H, W]` -> `[N, C, Ho, Wo]`,
/// `Ho = (H + 2 * padding - kernelSize) / stride + 1`. Padding never wins (acts as -infinity); among equal
/// values the first in row-major window order wins; NaN propagates. ResNet's stem uses 3, 2, 1 (the defaults).
/// `padding` must be at most `kernelSize / 2`, so every window holds a real pixel.
func maxPool2dForward(input: Tensor, kernelSize: Int = 3, stride: Int = 2, padding: Int = 1) -> MaxPool2DForward {
    precondition(input.rank == 4, "maxPool2d: input must be [N, C, H, W], got \(input.shape)")
    precondition(padding <= kernelSize / 2, "maxPool2d: padding \(padding) exceeds half the kernel \(kernelSize)")
    let g = ConvolutionGeometry(channels: input.shape[1], height: input.shape[2], width: input.shape[3],
                                kernelHeight: kernelSize, kernelWidth: kernelSize, stride: stride, padding: padding)
    let planes = input.shape[0] * input.shape[1]
    let planeSize = g.height * g.width
    let outH = g.outputHeight, outW = g.outputWidth
    var output = Tensor(uninitializedShape: [input.shape[0], input.shape[1], outH, outW])  // all written below
    var argmax = [Int32](repeating: 0, count: output.count)
    input.withUnsafePointer { x in
        output.withUnsafeMutablePointer { y in
            argmax.withUnsafeMutableBufferPointer { indices in
                EngineThreads.parallelChunks(total: planes) { _, range in
                    for plane in range {
                        let source = x + plane * planeSize
                        let outputBase = plane * outH * outW
                        for outY in 0..<outH {
                            let yStart = max(outY * stride - padding, 0)
                            let yEnd = min(outY * stride - padding + kernelSize, g.height)
                            for outX in 0..<outW {
                                let xStart = max(outX * stride - padding, 0)
                                let xEnd = min(outX * stride - padding + kernelSize, g.width)
                                var best = -Float.infinity
                                var bestIndex = yStart * g.width + xStart
                                for inY in yStart..<yEnd {
                                    for inX in xStart..<xEnd {
                                        let value = source[inY * g.width + inX]
                                        if value > best || value.isNaN {
                                            best = value
                                            bestIndex = inY * g.width + inX
                                            if value.isNaN { break }
                                        }
                                    }
                                    if best.isNaN { break }
                                }
                                y[outputBase + outY * outW + outX] = best
                                indices[outputBase + outY * outW + outX] = Int32(bestIndex)
                            }
                        }
                    }
                }
            }
        }
    }
    return MaxPool2DForward(output: output, argmax: argmax)
}

/// Backward of max pooling: routes each output gradient to its argmax (summing where windows overlap).
/// `outputGradient` is `[N, C, Ho, Wo]`, `inputShape` the forward's `[N, C, H, W]`.
func maxPool2dBackward(outputGradient: Tensor, argmax: [Int32], inputShape: [Int]) -> Tensor {
    precondition(inputShape.count == 4 && outputGradient.rank == 4
                 && outputGradient.shape[0] == inputShape[0] && outputGradient.shape[1] == inputShape[1],
                 "maxPool2d backward: gradient \(outputGradient.shape) does not match input \(inputShape)")
    precondition(argmax.count == outputGradient.count, "maxPool2d backward: \(argmax.count) indices for \(outputGradient.count) outputs")
    let planes = inputShape[0] * inputShape[1]
    let planeSize = inputShape[2] * inputShape[3]
    let outputPlaneSize = outputGradient.shape[2] * outputGradient.shape[3]
    // Zeroed plane by plane by the worker that scatters into it (first touch in parallel).
    var inputGradient = Tensor(uninitializedShape: inputShape)
    outputGradient.withUnsafePointer { dy in
        inputGradient.withUnsafeMutablePointer { dx in
            argmax.withUnsafeBufferPointer { indices in
                EngineThreads.parallelChunks(total: planes) { _, range in
                    for plane in range {
                        let destination = dx + plane * planeSize
                        destination.update(repeating: 0, count: planeSize)
                        let base = plane * outputPlaneSize
                        for index in 0..<outputPlaneSize {
                            destination[Int(indices[base + index])] += dy[base + index]
                        }
                    }
                }
            }
        }
    }
    return inputGradient
}
