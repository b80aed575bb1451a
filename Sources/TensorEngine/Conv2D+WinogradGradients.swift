extension Conv2DWinograd {
    /// Weight gradient `dw` `[K, C, 3, 3]` (overwritten) and, if `db` is given, bias gradient `[K]` (overwritten)
    /// of `y = conv(x)` for the output gradient `dy` `[N, K, H, W]`. Each worker accumulates its images' `du`
    /// `[16][K][C]` over its groups (the first group's GEMMs overwrite); the partials are then added in worker order
    /// and mapped back to 3x3 kernels by `G^T du G`, split over output channels.
    static func weightGradient(
        _ layout: Layout, x: UnsafePointer<Float>, dy: UnsafePointer<Float>, dw: UnsafeMutablePointer<Float>,
        db: UnsafeMutablePointer<Float>?
    ) {
        let (channels, outChannels) = (layout.channels, layout.outChannels)
        let kernelCount = outChannels * channels, kernelStride = elementStride(kernelCount)
        let partialSize = 16 * kernelStride + outChannels
        let gradientWidth = 2 * layout.tilesWide, gradientPlaneSize = 2 * layout.tilesHigh * gradientWidth
        let pool = ScratchPool.shared
        pool.withBuffer(count: layout.chunkCount * partialSize) { partials in
            EngineThreads.parallelChunks(total: layout.batch, chunkCount: layout.chunkCount) { chunk, images in
                let du = partials + chunk * partialSize, biasPartial = du + 16 * kernelStride
                biasPartial.initialize(repeating: 0, count: outChannels)
                pool.withBuffer(count: 16 * elementStride(channels * layout.maxTiles)) { v in
                    pool.withBuffer(count: 16 * elementStride(outChannels * layout.maxTiles)) { dm in
                        pool.withBuffer(count: layout.paddedHeight * layout.paddedWidth + gradientPlaneSize) { planes in
                            planes.initialize(repeating: 0, count: layout.paddedHeight * layout.paddedWidth
                                              + gradientPlaneSize)
                            let gradientPlane = planes + layout.paddedHeight * layout.paddedWidth
                            var first = true
                            layout.forEachGroup(images) { start, count in
                                let tiles = count * layout.tilesPerImage
                                layout.transformInputs(x, channelCount: channels, start: start, count: count,
                                                       plane: planes, into: v)
                                for index in 0..<count {
                                    let image = dy + (start + index) * outChannels * layout.mapSize
                                    for channel in 0..<outChannels {
                                        let map = image + channel * layout.mapSize
                                        biasPartial[channel] += VectorKernels.sum(map, layout.mapSize)
                                        for row in 0..<layout.height {
                                            (gradientPlane + row * gradientWidth).update(from: map + row * layout.width,
                                                                                          count: layout.width)
                                        }
                                        let destination = dm + channel * tiles + index * layout.tilesPerImage
                                        for tileRow in 0..<layout.tilesHigh {
                                            let top = gradientPlane + 2 * tileRow * gradientWidth
                                            WinogradTransforms.transformOutputGradientRow(
                                                top, top + gradientWidth, tiles: layout.tilesWide,
                                                into: destination + tileRow * layout.tilesWide,
                                                elementStride: elementStride(outChannels * tiles))
                                        }
                                    }
                                }
                                for element in 0..<16 {
                                    matmul(dm + element * elementStride(outChannels * tiles),
                                           v + element * elementStride(channels * tiles),
                                           du + element * kernelStride, m: outChannels, n: channels, k: tiles,
                                           transposeB: true, beta: first ? 0 : 1)
                                }
                                first = false
                            }
                        }
                    }
                }
            }
            EngineThreads.parallelChunks(total: outChannels) { _, rows in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { sum in
                    for kernel in (rows.lowerBound * channels)..<(rows.upperBound * channels) {
                        for element in 0..<16 { sum[element] = partials[element * kernelStride + kernel] }
                        for chunk in 1..<max(layout.chunkCount, 1) {
                            let source = partials + chunk * partialSize + kernel
                            for element in 0..<16 { sum[element] += source[element * kernelStride] }
                        }
                        WinogradTransforms.transformKernelGradient(sum.baseAddress!, into: dw + kernel * 9)
                    }
                }
            }
            if let db {
                for channel in 0..<outChannels {
                    var total: Float = 0
                    for chunk in 0..<layout.chunkCount { total += partials[chunk * partialSize + 16 * kernelStride + channel] }
                    db[channel] = total
                }
            }
        }
    }
}

/// Winograd forward of a 3x3, stride-1, padding-1 convolution: `input` `[N, C, H, W]`, `weight` `[K, C, 3, 3]`,
/// optional `bias` `[K]`, output `[N, K, H, W]`. `tileTarget`: tiles per GEMM (`nil` = default).
@_spi(CPUKernels) public func winogradConv2dForward(input: Tensor, weight: Tensor, bias: Tensor?, tileTarget: Int? = nil) -> Tensor {
    let (g, outChannels, batch) = conv2dShapes(input: input, weight: weight, stride: 1, padding: 1)
    precondition(Conv2DWinograd.supports(g), "winograd conv2d: needs a 3x3 kernel, got \(weight.shape)")
    if let bias { precondition(bias.shape == [outChannels], "conv2d: bias \(bias.shape), expected [\(outChannels)]") }
    var output = Tensor(uninitializedShape: [batch, outChannels, g.height, g.width])
    let layout = Conv2DWinograd.Layout(batch: batch, channels: g.channels, height: g.height, width: g.width,
                                       outChannels: outChannels, tileTarget: tileTarget)
    let biasValues = bias?.storage
    ScratchPool.shared.withBuffer(count: 16 * Conv2DWinograd.elementStride(outChannels * g.channels)) { u in
        weight.withUnsafePointer { w in
            WinogradTransforms.transformKernels(w, rows: outChannels, columns: g.channels, into: u,
                                                elementStride: Conv2DWinograd.elementStride(outChannels * g.channels))
        }
        input.withUnsafePointer { x in
            output.withUnsafeMutablePointer { y in
                Conv2DWinograd.convolve(layout, x: x, u: u, bias: biasValues, y: y)
            }
        }
    }
    return output
}

/// Winograd input gradient of a 3x3, stride-1, padding-1 convolution: `outputGradient` `[N, K, H, W]`, `weight`
/// `[K, C, 3, 3]`, result `[N, C, H, W]` (the convolution of the output gradient with the flipped, transposed
/// kernel).
@_spi(CPUKernels) public func winogradConv2dInputGradient(outputGradient: Tensor, weight: Tensor, tileTarget: Int? = nil) -> Tensor {
    precondition(outputGradient.rank == 4 && weight.rank == 4 && outputGradient.shape[1] == weight.shape[0]
                 && weight.shape[2] == 3 && weight.shape[3] == 3,
                 "winograd input gradient: output gradient \(outputGradient.shape), weight \(weight.shape)")
    let (batch, outChannels, height, width) = (outputGradient.shape[0], outputGradient.shape[1],
                                               outputGradient.shape[2], outputGradient.shape[3])
    let channels = weight.shape[1]
    var inputGradient = Tensor(uninitializedShape: [batch, channels, height, width])
    // The adjoint convolution reads K-channel maps and writes C-channel maps.
    let layout = Conv2DWinograd.Layout(batch: batch, channels: outChannels, height: height, width: width,
                                       outChannels: channels, tileTarget: tileTarget)
    ScratchPool.shared.withBuffer(count: 16 * Conv2DWinograd.elementStride(outChannels * channels)) { u in
        // The forward's transformed kernels, read transposed and permuted (`Conv2DWinograd.convolve(adjoint:)`).
        weight.withUnsafePointer { w in
            WinogradTransforms.transformKernels(w, rows: outChannels, columns: channels, into: u,
                                                elementStride: Conv2DWinograd.elementStride(outChannels * channels))
        }
        outputGradient.withUnsafePointer { dy in
            inputGradient.withUnsafeMutablePointer { dx in
                Conv2DWinograd.convolve(layout, x: dy, u: u, bias: nil, y: dx, adjoint: true)
            }
        }
    }
    return inputGradient
}

/// Winograd weight gradient `[K, C, 3, 3]` (and bias gradient `[K]` with `hasBias`) of a 3x3, stride-1, padding-1
/// convolution of `input` `[N, C, H, W]` with output gradient `outputGradient` `[N, K, H, W]`.
@_spi(CPUKernels) public func winogradConv2dWeightGradient(
    outputGradient: Tensor, input: Tensor, hasBias: Bool, tileTarget: Int? = nil
) -> (weight: Tensor, bias: Tensor?) {
    precondition(input.rank == 4 && outputGradient.rank == 4 && input.shape[0] == outputGradient.shape[0]
                 && input.shape[2...] == outputGradient.shape[2...],
                 "winograd weight gradient: input \(input.shape), output gradient \(outputGradient.shape)")
    let (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
    let outChannels = outputGradient.shape[1]
    var weightGradient = Tensor(uninitializedShape: [outChannels, channels, 3, 3])
    var biasGradient = Tensor(uninitializedShape: [hasBias ? outChannels : 0])
    if batch == 0 {
        return (Tensor.zeros(weightGradient.shape), hasBias ? Tensor.zeros([outChannels]) : nil)
    }
    let layout = Conv2DWinograd.Layout(batch: batch, channels: channels, height: height, width: width,
                                       outChannels: outChannels, tileTarget: tileTarget)
    input.withUnsafePointer { x in
        outputGradient.withUnsafePointer { dy in
            weightGradient.withUnsafeMutablePointer { dw in
                biasGradient.withUnsafeMutablePointer { db in
                    Conv2DWinograd.weightGradient(layout, x: x, dy: dy, dw: dw, db: hasBias ? db : nil)
                }
            }
        }
    }
    return (weightGradient, hasBias ? biasGradient : nil)
}
