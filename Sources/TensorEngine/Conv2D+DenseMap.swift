/// 3x3, stride-1, padding-1 convolutions of 2x2 maps as one dense layer (ImageNet stem's layer4 at 64x64 input).
///
/// On a 2x2 map every (output pixel `p`, input pixel `q`) pair is connected through exactly one kernel tap,
/// `(qy - py + 1, qx - px + 1)`, so the convolution is `Y [N, 4K] = X [N, 4C] x D^T` with the dense weight
/// `D [4K, 4C]`, `D[4k + p, 4c + q] = W[k, c, tap(p, q)]` - NCHW images are already the rows of `X` and `Y`. That
/// is 16 multiply-adds per output channel pair and image instead of im2col's 36 (padding taps are never
/// multiplied), with whole-batch GEMMs split over the workers (`matmul(parallel:)`):
/// forward `Y = X D^T`, input gradient `dX = dY D`, weight gradient `dD = dY^T X` folded back onto the 9 taps in a
/// fixed order. Bitwise reproducible for a fixed worker count.
enum Conv2DDenseMap {
    /// Whether a convolution is one this layout computes: 3x3, stride 1, padding 1 on a 2x2 map.
    static func supports(_ g: ConvolutionGeometry) -> Bool {
        g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1 && g.padding == 1 && g.height == 2
            && g.width == 2
    }

    /// Kernel tap (row-major index into the 3x3 kernel) joining output pixel `p` and input pixel `q` (0...3,
    /// row-major in the 2x2 map).
    @inline(__always)
    static func tap(output p: Int, input q: Int) -> Int {
        (q / 2 - p / 2 + 1) * 3 + (q % 2 - p % 2 + 1)
    }

    /// Fills `dense` `[4K, 4C]` from OIHW `weight` `[K, C, 3, 3]`, split over output channels.
    static func expandWeight(_ weight: UnsafePointer<Float>, outChannels: Int, channels: Int,
                             into dense: UnsafeMutablePointer<Float>) {
        let rowLength = 4 * channels
        EngineThreads.parallelChunks(total: outChannels) { _, range in
            for k in range {
                for p in 0..<4 {
                    let row = dense + (4 * k + p) * rowLength
                    let taps = (tap(output: p, input: 0), tap(output: p, input: 1), tap(output: p, input: 2),
                                tap(output: p, input: 3))
                    for c in 0..<channels {
                        let kernel = weight + (k * channels + c) * 9
                        let target = row + 4 * c
                        target[0] = kernel[taps.0]
                        target[1] = kernel[taps.1]
                        target[2] = kernel[taps.2]
                        target[3] = kernel[taps.3]
                    }
                }
            }
        }
    }

    /// `dw[k, c, t] = sum of dDense[4k + p, 4c + q]` over the pairs `(p, q)` joined by tap `t`, in `(p, q)` order;
    /// `dw` `[K, C, 3, 3]` is overwritten. Split over output channels.
    static func foldWeightGradient(_ dense: UnsafePointer<Float>, outChannels: Int, channels: Int,
                                   into dw: UnsafeMutablePointer<Float>) {
        let rowLength = 4 * channels
        EngineThreads.parallelChunks(total: outChannels) { _, range in
            for k in range {
                let kernels = dw + k * channels * 9
                kernels.initialize(repeating: 0, count: channels * 9)
                for p in 0..<4 {
                    let row = dense + (4 * k + p) * rowLength
                    let taps = (tap(output: p, input: 0), tap(output: p, input: 1), tap(output: p, input: 2),
                                tap(output: p, input: 3))
                    for c in 0..<channels {
                        let kernel = kernels + c * 9
                        let source = row + 4 * c
                        kernel[taps.0] += source[0]
                        kernel[taps.1] += source[1]
                        kernel[taps.2] += source[2]
                        kernel[taps.3] += source[3]
                    }
                }
            }
        }
    }
}

/// Forward of a 3x3 stride-1 padding-1 convolution on 2x2 maps: `input` `[N, C, 2, 2]`, `weight` `[K, C, 3, 3]`,
/// optional `bias` `[K]`; output `[N, K, 2, 2]`.
@_spi(CPUKernels) public func denseMapConv2dForward(input: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    let (g, outChannels, batch) = conv2dShapes(input: input, weight: weight, stride: 1, padding: 1)
    precondition(Conv2DDenseMap.supports(g), "dense-map conv2d: needs 2x2 maps and a 3x3 kernel")
    var output = Tensor(uninitializedShape: [batch, outChannels, 2, 2])
    if batch == 0 { return output }
    ScratchPool.shared.withBuffer(count: 16 * outChannels * g.channels) { dense in
        weight.withUnsafePointer { w in
            Conv2DDenseMap.expandWeight(w, outChannels: outChannels, channels: g.channels, into: dense)
        }
        input.withUnsafePointer { x in
            output.withUnsafeMutablePointer { y in
                matmul(x, dense, y, m: batch, n: 4 * outChannels, k: 4 * g.channels, transposeB: true,
                       parallel: true)
                if let bias {
                    for image in 0..<batch {
                        for channel in 0..<outChannels {
                            let value = bias.storage[channel], pixels = y + (image * outChannels + channel) * 4
                            for index in 0..<4 { pixels[index] += value }
                        }
                    }
                }
            }
        }
    }
    return output
}

/// Backward of `denseMapConv2dForward`: weight gradient, bias gradient with `hasBias`, input gradient with
/// `computeInputGradient`.
@_spi(CPUKernels) public func denseMapConv2dBackward(
    outputGradient: Tensor, input: Tensor, weight: Tensor, hasBias: Bool, computeInputGradient: Bool
) -> Conv2DGradients {
    let (g, outChannels, batch) = conv2dShapes(input: input, weight: weight, stride: 1, padding: 1)
    precondition(Conv2DDenseMap.supports(g) && outputGradient.shape == [batch, outChannels, 2, 2],
                 "dense-map conv2d backward: output gradient \(outputGradient.shape), input \(input.shape)")
    let channels = g.channels
    var weightGradient = Tensor(uninitializedShape: weight.shape)
    var inputGradient = computeInputGradient ? Tensor(uninitializedShape: input.shape) : nil
    var biasGradient: Tensor? = nil
    if hasBias {
        var values = [Float](repeating: 0, count: outChannels)
        outputGradient.withUnsafePointer { dy in
            for image in 0..<batch {
                for channel in 0..<outChannels {
                    values[channel] += VectorKernels.sum(dy + (image * outChannels + channel) * 4, 4)
                }
            }
        }
        biasGradient = Tensor(shape: [outChannels], storage: values)
    }
    ScratchPool.shared.withBuffer(count: 16 * outChannels * channels) { dense in
        outputGradient.withUnsafePointer { dy in
            input.withUnsafePointer { x in
                // dD [4K, 4C] = dY^T [4K, N] x X [N, 4C], then folded onto the taps.
                matmul(dy, x, dense, m: 4 * outChannels, n: 4 * channels, k: batch, transposeA: true,
                       parallel: true)
                weightGradient.withUnsafeMutablePointer { dw in
                    Conv2DDenseMap.foldWeightGradient(dense, outChannels: outChannels, channels: channels, into: dw)
                }
            }
            if computeInputGradient {
                weight.withUnsafePointer { w in
                    Conv2DDenseMap.expandWeight(w, outChannels: outChannels, channels: channels, into: dense)
                }
                inputGradient!.withUnsafeMutablePointer { dx in
                    matmul(dy, dense, dx, m: batch, n: 4 * channels, k: 4 * outChannels, parallel: true)
                }
            }
        }
    }
    return Conv2DGradients(input: inputGradient, weight: weightGradient, bias: biasGradient)
}
