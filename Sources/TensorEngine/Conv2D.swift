/// 2-D convolution over NCHW images by im2col + single-threaded sgemm, parallel over images.
///
/// Shapes: `input` `[N, C, H, W]`, `weight` OIHW `[O, C, kh, kw]`, optional `bias` `[O]`, output
/// `[N, O, Ho, Wo]` with `Ho = (H + 2 * padding - kh) / stride + 1` (likewise `Wo`). Square stride and padding,
/// no dilation, no groups; padding reads zeros. Matches `torch.nn.functional.conv2d` to float rounding.
///
/// The batch is split into `EngineThreads.workerCount` contiguous image chunks, one per worker. Inside a chunk,
/// images are taken `groupSize` at a time: one per GEMM at large spatial sizes (NCHW, `[O, C*kh*kw] x
/// [C*kh*kw, Ho*Wo]`), several side by side in one wider GEMM when `Ho*Wo` is small (8x8, 4x4), where per-image
/// GEMMs are too thin. A 1x1 stride-1 unpadded convolution multiplies the image directly (no im2col).
public func conv2dForward(
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
public func conv2dBackward(
    outputGradient: Tensor, input: Tensor, weight: Tensor, stride: Int = 1, padding: Int = 0,
    hasBias: Bool = false, computeInputGradient: Bool = true
) -> Conv2DGradients {
    conv2dBackward(outputGradient: outputGradient, input: input, weight: weight, stride: stride, padding: padding,
                   hasBias: hasBias, computeInputGradient: computeInputGradient, groupSize: nil)
}

/// Output columns one GEMM should have at least before images are batched side by side.
let conv2dBatchedColumnsTarget = 512

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

/// Images per GEMM inside a chunk: 1 at large spatial sizes, more when `outputPixels` is small.
func conv2dGroupSize(_ geometry: ConvolutionGeometry, imagesPerChunk: Int, override: Int?) -> Int {
    if let override { return max(1, min(override, imagesPerChunk)) }
    let pixels = geometry.outputPixels
    if pixels >= conv2dBatchedColumnsTarget { return 1 }
    return max(1, min(imagesPerChunk, (conv2dBatchedColumnsTarget + pixels - 1) / pixels))
}

/// `conv2dForward` with an optional fixed number of images per GEMM (benchmarks and tests compare layouts).
package func conv2dForward(
    input: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int, groupSize: Int?
) -> Tensor {
    let (g, outChannels, batch) = conv2dShapes(input: input, weight: weight, stride: stride, padding: padding)
    if let bias { precondition(bias.shape == [outChannels], "conv2d: bias \(bias.shape), expected [\(outChannels)]") }
    var output = Tensor.zeros([batch, outChannels, g.outputHeight, g.outputWidth])
    if batch == 0 { return output }
    let chunkCount = min(EngineThreads.workerCount, batch)
    let imagesPerChunk = (batch + chunkCount - 1) / chunkCount
    let group = conv2dGroupSize(g, imagesPerChunk: imagesPerChunk, override: groupSize)
    let pixels = g.outputPixels, rows = g.columnRows, inputSize = g.inputPixelsPerImage
    let outputSize = outChannels * pixels
    let biasValues = bias?.storage
    input.withUnsafePointer { x in
        weight.withUnsafePointer { w in
            output.withUnsafeMutablePointer { y in
                EngineThreads.parallelChunks(total: batch, chunkCount: chunkCount) { _, range in
                    let needsColumns = !(g.isPointwise && group == 1)
                    let columns = UnsafeMutablePointer<Float>.allocate(capacity: needsColumns ? rows * group * pixels : 1)
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: group > 1 ? outChannels * group * pixels : 1)
                    defer { columns.deallocate(); scratch.deallocate() }
                    var start = range.lowerBound
                    while start < range.upperBound {
                        let count = min(group, range.upperBound - start)
                        let width = count * pixels
                        if group == 1 {
                            let image = x + start * inputSize
                            let matrix: UnsafePointer<Float>
                            if needsColumns {
                                Im2Col.expand(image, geometry: g, into: columns, rowStride: pixels)
                                matrix = UnsafePointer(columns)
                            } else {
                                matrix = image
                            }
                            matmul(w, matrix, y + start * outputSize, m: outChannels, n: pixels, k: rows)
                        } else {
                            for index in 0..<count {
                                Im2Col.expand(x + (start + index) * inputSize, geometry: g,
                                              into: columns + index * pixels, rowStride: width)
                            }
                            matmul(w, columns, scratch, m: outChannels, n: width, k: rows)
                            for index in 0..<count {
                                let destination = y + (start + index) * outputSize
                                for channel in 0..<outChannels {
                                    (destination + channel * pixels).update(
                                        from: scratch + channel * width + index * pixels, count: pixels)
                                }
                            }
                        }
                        if let biasValues {
                            for image in start..<(start + count) {
                                let destination = y + image * outputSize
                                for channel in 0..<outChannels {
                                    let value = biasValues[channel]
                                    let plane = destination + channel * pixels
                                    for pixel in 0..<pixels { plane[pixel] += value }
                                }
                            }
                        }
                        start += count
                    }
                }
            }
        }
    }
    return output
}
