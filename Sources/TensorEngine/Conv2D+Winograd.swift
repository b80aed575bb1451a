/// Winograd F(2x2, 3x3) convolution for 3x3, stride-1, padding-1 layers (`WinogradTransforms`): 16 multiplications
/// per 2x2 output tile instead of im2col's 36, at the cost of three cheap transforms.
///
/// Batched formulation. The kernels are transformed once per call to `u` `[16][K][C]`. The batch is split into
/// one contiguous chunk of images per worker (`EngineThreads.parallelChunks`); a worker takes its images in groups
/// of about `tileTarget` tiles `T`, transforms the group's input tiles to `v` `[16][C][T]` (each channel first
/// copied into a zero-padded plane, so no tile needs bounds checks), runs 16 single-threaded GEMMs
/// `m[e] [K, T] = u[e] [K, C] x v[e] [C, T]` and inverse-transforms `m` into its images' outputs. Every output
/// element is computed by one worker in a fixed order: bitwise reproducible for a fixed worker count.
///
/// The input gradient of such a layer is the same convolution of the output gradient with the flipped,
/// transposed kernel (`WinogradTransforms.transformKernels(flipped: true)`), so it runs through the same code.
enum Conv2DWinograd {
    /// Tiles per group (GEMM width) when the caller does not choose: enough columns for an efficient GEMM while the
    /// group's `v` and `m` stay a few MiB. Measured with `bench-conv --winograd-tiles N` (docs/engine.md).
    static let defaultTileTarget = 256

    /// Whether the shape is one Winograd F(2x2, 3x3) computes: 3x3 kernel, stride 1, padding 1 (same-size output).
    static func supports(_ g: ConvolutionGeometry) -> Bool {
        g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1 && g.padding == 1
    }

    /// `y[N, K, H, W] = conv(x[N, C, H, W]) (+ bias[K])` for the transformed kernels `u` `[16][K][C]`; `y` is
    /// fully overwritten.
    static func convolve(
        x: UnsafePointer<Float>, u: UnsafePointer<Float>, bias: [Float]?, y: UnsafeMutablePointer<Float>,
        batch: Int, channels: Int, height: Int, width: Int, outChannels: Int, tileTarget: Int?
    ) {
        if batch == 0 { return }
        let tilesHigh = (height + 1) / 2, tilesWide = (width + 1) / 2, tilesPerImage = tilesHigh * tilesWide
        let chunkCount = max(1, min(EngineThreads.workerCount, batch))
        let imagesPerChunk = (batch + chunkCount - 1) / chunkCount
        let groupSize = max(1, min(imagesPerChunk, (tileTarget ?? defaultTileTarget) / tilesPerImage))
        let maxTiles = groupSize * tilesPerImage
        let paddedWidth = 2 * tilesWide + 2, paddedHeight = 2 * tilesHigh + 2
        let imageSize = channels * height * width, outputSize = outChannels * height * width
        let pool = ScratchPool.shared
        EngineThreads.parallelChunks(total: batch, chunkCount: chunkCount) { _, images in
            pool.withBuffer(count: 16 * channels * maxTiles) { v in
                pool.withBuffer(count: 16 * outChannels * maxTiles) { m in
                    pool.withBuffer(count: paddedHeight * paddedWidth) { plane in
                        // The border (and the extra row / column of odd sizes) stays zero; the interior is
                        // overwritten for every channel.
                        plane.initialize(repeating: 0, count: paddedHeight * paddedWidth)
                        var start = images.lowerBound
                        while start < images.upperBound {
                            let count = min(groupSize, images.upperBound - start)
                            let tiles = count * tilesPerImage
                            for index in 0..<count {
                                let image = x + (start + index) * imageSize
                                for channel in 0..<channels {
                                    let source = image + channel * height * width
                                    for row in 0..<height {
                                        (plane + (row + 1) * paddedWidth + 1).update(from: source + row * width,
                                                                                     count: width)
                                    }
                                    let destination = v + channel * tiles + index * tilesPerImage
                                    for tileRow in 0..<tilesHigh {
                                        let top = plane + 2 * tileRow * paddedWidth
                                        WinogradTransforms.transformInputRow(
                                            top, top + paddedWidth, top + 2 * paddedWidth, top + 3 * paddedWidth,
                                            tiles: tilesWide, into: destination + tileRow * tilesWide,
                                            elementStride: channels * tiles)
                                    }
                                }
                            }
                            for element in 0..<16 {
                                matmul(u + element * outChannels * channels, v + element * channels * tiles,
                                       m + element * outChannels * tiles, m: outChannels, n: tiles, k: channels)
                            }
                            for index in 0..<count {
                                let image = y + (start + index) * outputSize
                                for channel in 0..<outChannels {
                                    let plane = image + channel * height * width
                                    let source = m + channel * tiles + index * tilesPerImage
                                    let value = bias?[channel] ?? 0
                                    for tileRow in 0..<tilesHigh {
                                        let top = plane + 2 * tileRow * width
                                        WinogradTransforms.transformOutputRow(
                                            source + tileRow * tilesWide, elementStride: outChannels * tiles,
                                            tiles: tilesWide, width: width, bias: value, top,
                                            2 * tileRow + 1 < height ? top + width : nil)
                                    }
                                }
                            }
                            start += count
                        }
                    }
                }
            }
        }
    }
}

/// Winograd forward of a 3x3, stride-1, padding-1 convolution: `input` `[N, C, H, W]`, `weight` `[K, C, 3, 3]`,
/// optional `bias` `[K]`, output `[N, K, H, W]`. `tileTarget`: tiles per GEMM (`nil` = default).
package func winogradConv2dForward(input: Tensor, weight: Tensor, bias: Tensor?, tileTarget: Int? = nil) -> Tensor {
    let (g, outChannels, batch) = conv2dShapes(input: input, weight: weight, stride: 1, padding: 1)
    precondition(Conv2DWinograd.supports(g), "winograd conv2d: needs a 3x3 kernel, got \(weight.shape)")
    var output = Tensor(uninitializedShape: [batch, outChannels, g.height, g.width])
    let biasValues = bias?.storage
    ScratchPool.shared.withBuffer(count: 16 * outChannels * g.channels) { u in
        weight.withUnsafePointer { w in
            WinogradTransforms.transformKernels(w, rows: outChannels, columns: g.channels, flipped: false, into: u)
        }
        input.withUnsafePointer { x in
            output.withUnsafeMutablePointer { y in
                Conv2DWinograd.convolve(x: x, u: u, bias: biasValues, y: y, batch: batch, channels: g.channels,
                                        height: g.height, width: g.width, outChannels: outChannels,
                                        tileTarget: tileTarget)
            }
        }
    }
    return output
}

/// Winograd input gradient of a 3x3, stride-1, padding-1 convolution: `outputGradient` `[N, K, H, W]`, `weight`
/// `[K, C, 3, 3]`, result `[N, C, H, W]` (the convolution of the output gradient with the flipped, transposed
/// kernel).
package func winogradConv2dInputGradient(outputGradient: Tensor, weight: Tensor, tileTarget: Int? = nil) -> Tensor {
    precondition(outputGradient.rank == 4 && weight.rank == 4 && outputGradient.shape[1] == weight.shape[0]
                 && weight.shape[2] == 3 && weight.shape[3] == 3,
                 "winograd input gradient: output gradient \(outputGradient.shape), weight \(weight.shape)")
    let (batch, outChannels, height, width) = (outputGradient.shape[0], outputGradient.shape[1],
                                               outputGradient.shape[2], outputGradient.shape[3])
    let channels = weight.shape[1]
    var inputGradient = Tensor(uninitializedShape: [batch, channels, height, width])
    ScratchPool.shared.withBuffer(count: 16 * outChannels * channels) { u in
        weight.withUnsafePointer { w in
            WinogradTransforms.transformKernels(w, rows: channels, columns: outChannels, flipped: true, into: u)
        }
        outputGradient.withUnsafePointer { dy in
            inputGradient.withUnsafeMutablePointer { dx in
                Conv2DWinograd.convolve(x: dy, u: u, bias: nil, y: dx, batch: batch, channels: outChannels,
                                        height: height, width: width, outChannels: channels, tileTarget: tileTarget)
            }
        }
    }
    return inputGradient
}
