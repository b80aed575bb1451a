/// 2-D convolution over NCHW images by im2col + single-threaded sgemm, parallel over images.
///
/// Shapes: `input` `[N, C, H, W]`, `weight` OIHW `[O, C, kh, kw]`, optional `bias` `[O]`, output
/// `[N, O, Ho, Wo]` with `Ho = (H + 2 * padding - kh) / stride + 1` (likewise `Wo`). Square stride and padding,
/// no dilation, no groups; padding reads zeros. Matches `torch.nn.functional.conv2d` to float rounding.
///
/// Layout (see `Conv2DPlan`): one contiguous image chunk per worker; per image `[O, C*kh*kw] x [C*kh*kw, Ho*Wo]`
/// GEMMs (in output-row bands when the columns are large), or several images side by side in one wider GEMM when
/// `Ho*Wo` is small; a 1x1 stride-1 unpadded convolution multiplies the image directly.
func conv2dForward(
    input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0
) -> Tensor {
    conv2dForward(input: input, weight: weight, bias: bias, stride: stride, padding: padding, groupSize: nil)
}

/// Gradients of a convolution. `input` is `nil` when not requested; `bias` is `nil` without a bias.
public struct Conv2DGradients: Sendable {
    /// `[N, C, H, W]`, the gradient of the loss with respect to the convolution's input.
    public var input: Tensor?
    /// `[O, C, kh, kw]`.
    public var weight: Tensor
    /// `[O]`: the output gradient summed over batch and pixels.
    public var bias: Tensor?
}

/// Backward pass of `conv2dForward`. `outputGradient` is `[N, O, Ho, Wo]`; `input` and `weight` are the forward's.
/// The weight gradient is the sum of per-worker partial sums added in worker order, so it is bitwise
/// reproducible for a fixed `EngineThreads.workerCount`. Pass `computeInputGradient: false` for a first layer.
func conv2dBackward(
    outputGradient: Tensor, input: Tensor, weight: Tensor, stride: Int = 1, padding: Int = 0,
    hasBias: Bool = false, computeInputGradient: Bool = true
) -> Conv2DGradients {
    conv2dBackward(outputGradient: outputGradient, input: input, weight: weight, stride: stride, padding: padding,
                   hasBias: hasBias, computeInputGradient: computeInputGradient, groupSize: nil)
}

/// Checks shapes and returns the geometry, the output channel count and the image count.
func conv2dShapes(input: Tensor, weight: Tensor, stride: Int, padding: Int) -> (ConvolutionGeometry, Int, Int) {
    precondition(input.rank == 4, "conv2d: input must be [N, C, H, W], got \(input.shape)")
    precondition(weight.rank == 4, "conv2d: weight must be [O, C, kh, kw], got \(weight.shape)")
    precondition(weight.shape[1] == input.shape[1],
                 "conv2d: weight \(weight.shape) expects \(weight.shape[1]) input channels, input is \(input.shape)")
    let geometry = ConvolutionGeometry(channels: input.shape[1], height: input.shape[2], width: input.shape[3],
                                       kernelHeight: weight.shape[2], kernelWidth: weight.shape[3],
                                       stride: stride, padding: padding)
    return (geometry, weight.shape[0], input.shape[0])
}

/// `conv2dForward` with an optional fixed layout: images per GEMM and output rows per band, whole-batch GEMMs,
/// Winograd F(2x2, 3x3) for 3x3 stride-1 padding-1 shapes, the dense-map layout for those on 2x2 maps
/// (benchmarks and tests compare layouts; `nil` = the automatic choice, `Conv2DPlan.prefersWinograd` and
/// `prefersDenseMap`).
func conv2dForward(
    input: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int, groupSize: Int?, bandRows: Int? = nil,
    wholeBatch: Bool? = nil, winograd: Bool? = nil, denseMap: Bool? = nil
) -> Tensor {
    let (g, outChannels, batch) = conv2dShapes(input: input, weight: weight, stride: stride, padding: padding)
    if Conv2DDenseMap.supports(g) && (denseMap ?? Conv2DPlan.prefersDenseMap(g, outChannels: outChannels)) {
        return denseMapConv2dForward(input: input, weight: weight, bias: bias)
    }
    if Conv2DWinograd.supports(g) && (winograd ?? Conv2DPlan.prefersWinograd(g, outChannels: outChannels)) {
        return winogradConv2dForward(input: input, weight: weight, bias: bias)
    }
    if let bias { precondition(bias.shape == [outChannels], "conv2d: bias \(bias.shape), expected [\(outChannels)]") }
    // Every element is written below (GEMMs with beta 0, or copies from the group's staging buffer).
    var output = Tensor(uninitializedShape: [batch, outChannels, g.outputHeight, g.outputWidth])
    if batch == 0 { return output }
    let plan = Conv2DPlan(geometry: g, outChannels: outChannels, batch: batch, groupSize: groupSize,
                          bandRows: bandRows, wholeBatch: wholeBatch)
    let biasValues = bias?.storage
    if plan.wholeBatch {
        input.withUnsafePointer { x in
            weight.withUnsafePointer { w in
                output.withUnsafeMutablePointer { y in
                    Conv2DWholeBatch.forward(plan, x: x, w: w, bias: biasValues, y: y)
                }
            }
        }
        return output
    }
    input.withUnsafePointer { x in
        weight.withUnsafePointer { w in
            output.withUnsafeMutablePointer { y in
                EngineThreads.parallelChunks(total: batch, chunkCount: plan.chunkCount) { _, range in
                    ScratchPool.shared.withBuffer(count: plan.columnCapacity) { columns in
                        ScratchPool.shared.withBuffer(count: plan.stagingCapacity) { staging in
                            conv2dForwardChunk(plan, images: range, x: x, w: w, y: y, columns: columns,
                                               staging: staging)
                        }
                    }
                    if let biasValues { addBias(biasValues, plan: plan, images: range, y: y) }
                }
            }
        }
    }
    return output
}

/// Forward of the images `images` of one worker's chunk.
private func conv2dForwardChunk(
    _ plan: Conv2DPlan, images: Range<Int>, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
    y: UnsafeMutablePointer<Float>, columns: UnsafeMutablePointer<Float>, staging: UnsafeMutablePointer<Float>
) {
    let g = plan.geometry, outChannels = plan.outChannels
    let pixels = g.outputPixels, rows = g.columnRows, inputSize = g.inputPixelsPerImage
    let outputSize = outChannels * pixels
    if plan.groupSize == 1 {
        let bands = plan.bands
        for image in images {
            let source = x + image * inputSize, destination = y + image * outputSize
            guard plan.usesColumns else {
                matmul(w, source, destination, m: outChannels, n: pixels, k: rows)
                continue
            }
            for band in bands {
                let bandPixels = band.count * g.outputWidth
                Im2Col.expand(source, geometry: g, into: columns, rowStride: bandPixels, outputRows: band)
                matmul(w, columns, destination + band.lowerBound * g.outputWidth, m: outChannels, n: bandPixels,
                       k: rows, ldc: pixels)
            }
        }
        return
    }
    var start = images.lowerBound
    while start < images.upperBound {
        let count = min(plan.groupSize, images.upperBound - start)
        let width = count * pixels
        for index in 0..<count {
            Im2Col.expand(x + (start + index) * inputSize, geometry: g, into: columns + index * pixels,
                          rowStride: width)
        }
        matmul(w, columns, staging, m: outChannels, n: width, k: rows)
        for index in 0..<count {
            let destination = y + (start + index) * outputSize
            for channel in 0..<outChannels {
                (destination + channel * pixels).update(from: staging + channel * width + index * pixels,
                                                        count: pixels)
            }
        }
        start += count
    }
}

/// `y[n, o, :, :] += bias[o]` for the images `images`.
private func addBias(_ bias: [Float], plan: Conv2DPlan, images: Range<Int>, y: UnsafeMutablePointer<Float>) {
    let pixels = plan.geometry.outputPixels
    for image in images {
        for channel in 0..<plan.outChannels {
            let value = bias[channel]
            let plane = y + (image * plan.outChannels + channel) * pixels
            for pixel in 0..<pixels { plane[pixel] += value }
        }
    }
}
