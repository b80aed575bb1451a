/// `conv2dBackward` with an optional fixed layout (images per GEMM, output rows per band); `nil` = automatic.
/// `transposedInputGradient` computes a stride-1 convolution's input gradient as the forward convolution of the
/// output gradient with the flipped, transposed kernel (im2col + GEMM with inner size O*kh*kw) instead of
/// `W^T dY` + col2im (inner size O); `nil` = automatic. `winograd` computes the weight, bias and input gradients of a
/// 3x3 stride-1 padding-1 convolution by Winograd F(2x2, 3x3) (`Conv2DWinograd`); `nil` = automatic
/// (`Conv2DPlan.prefersWinograd`). `denseMap`: 3x3 stride-1 padding-1 convolutions of 2x2 maps as a dense layer
/// (`Conv2DDenseMap`); `nil` = automatic (`Conv2DPlan.prefersDenseMap`).
func conv2dBackward(
    outputGradient: Tensor, input: Tensor, weight: Tensor, stride: Int, padding: Int,
    hasBias: Bool, computeInputGradient: Bool, groupSize: Int?, bandRows: Int? = nil,
    transposedInputGradient: Bool? = nil, wholeBatch: Bool? = nil, winograd: Bool? = nil, denseMap: Bool? = nil
) -> Conv2DGradients {
    let (g, outChannels, batch) = conv2dShapes(input: input, weight: weight, stride: stride, padding: padding)
    if Conv2DDenseMap.supports(g) && (denseMap ?? Conv2DPlan.prefersDenseMap(g, outChannels: outChannels)) {
        return denseMapConv2dBackward(outputGradient: outputGradient, input: input, weight: weight, hasBias: hasBias,
                                      computeInputGradient: computeInputGradient)
    }
    if Conv2DWinograd.supports(g) && (winograd ?? Conv2DPlan.prefersWinograd(g, outChannels: outChannels)) {
        precondition(outputGradient.shape == [batch, outChannels, g.outputHeight, g.outputWidth],
                     "conv2d backward: output gradient \(outputGradient.shape), expected "
                     + "\([batch, outChannels, g.outputHeight, g.outputWidth])")
        let parameters = winogradConv2dWeightGradient(outputGradient: outputGradient, input: input,
                                                      hasBias: hasBias)
        let inputGradient = computeInputGradient
            ? winogradConv2dInputGradient(outputGradient: outputGradient, weight: weight) : nil
        return Conv2DGradients(input: inputGradient, weight: parameters.weight, bias: parameters.bias)
    }
    let transposedPossible = stride == 1 && g.kernelHeight == g.kernelWidth && padding <= g.kernelHeight - 1
        && !g.isPointwise
    if computeInputGradient && transposedPossible && (transposedInputGradient ?? Conv2DPlan.transposedInputGradient) {
        var gradients = conv2dBackward(outputGradient: outputGradient, input: input, weight: weight, stride: stride,
                                       padding: padding, hasBias: hasBias, computeInputGradient: false,
                                       groupSize: groupSize, bandRows: bandRows, wholeBatch: wholeBatch)
        gradients.input = conv2dForward(input: outputGradient, weight: flippedTransposedKernel(weight), bias: nil,
                                        stride: 1, padding: g.kernelHeight - 1 - padding, groupSize: groupSize,
                                        bandRows: bandRows, wholeBatch: wholeBatch)
        return gradients
    }
    precondition(outputGradient.shape == [batch, outChannels, g.outputHeight, g.outputWidth],
                 "conv2d backward: output gradient \(outputGradient.shape), expected "
                 + "\([batch, outChannels, g.outputHeight, g.outputWidth])")
    let plan = Conv2DPlan(geometry: g, outChannels: outChannels, batch: batch, groupSize: groupSize,
                          bandRows: bandRows, wholeBatch: wholeBatch)
    if plan.wholeBatch && batch > 0 {
        return conv2dBackwardWholeBatch(plan, outputGradient: outputGradient, input: input, weight: weight,
                                        hasBias: hasBias, computeInputGradient: computeInputGradient)
    }
    let weightSize = outChannels * g.columnRows
    // Pointwise single-image GEMMs overwrite the input gradient; col2im accumulates into zeros, which each worker
    // writes for its own images (`conv2dBackwardChunk`), so the pages are first touched in parallel.
    var inputGradient = !computeInputGradient ? Tensor.zeros([0]) : Tensor(uninitializedShape: input.shape)
    var weightGradient = Tensor.zeros(weight.shape)
    var biasGradient = Tensor.zeros([hasBias ? outChannels : 0])
    if batch > 0 {
        // Per-chunk partial sums: [chunk][O * rows] weight gradients, then [chunk][O] bias gradients.
        let partialCount = plan.chunkCount * (weightSize + outChannels)
        ScratchPool.shared.withBuffer(count: partialCount) { partials in
            partials.initialize(repeating: 0, count: partialCount)
            input.withUnsafePointer { x in
                weight.withUnsafePointer { w in
                    outputGradient.withUnsafePointer { dy in
                        inputGradient.withUnsafeMutablePointer { dx in
                            EngineThreads.parallelChunks(total: batch, chunkCount: plan.chunkCount) { chunk, range in
                                let pool = ScratchPool.shared
                                pool.withBuffer(count: plan.columnCapacity) { columns in
                                    pool.withBuffer(count: computeInputGradient ? plan.columnCapacity : 0) { columnGradient in
                                        pool.withBuffer(count: plan.stagingCapacity) { staging in
                                            let buffers = Conv2DBackwardBuffers(
                                                weightPartial: partials + chunk * weightSize,
                                                biasPartial: hasBias
                                                    ? partials + plan.chunkCount * weightSize + chunk * outChannels : nil,
                                                columns: columns, columnGradient: computeInputGradient ? columnGradient : nil,
                                                staging: staging)
                                            conv2dBackwardChunk(plan, images: range, x: x, w: w, dy: dy, dx: dx,
                                                                buffers: buffers)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // Reduction of the partial sums, each element added in chunk order (parallel over element ranges).
            weightGradient.withUnsafeMutablePointer { dw in
                EngineThreads.parallelChunks(total: weightSize) { _, range in
                    for chunk in 0..<plan.chunkCount {
                        let source = partials + chunk * weightSize
                        for index in range { dw[index] += source[index] }
                    }
                }
            }
            if hasBias {
                biasGradient.withUnsafeMutablePointer { db in
                    for chunk in 0..<plan.chunkCount {
                        let source = partials + plan.chunkCount * weightSize + chunk * outChannels
                        for index in 0..<outChannels { db[index] += source[index] }
                    }
                }
            }
        }
    }
    return Conv2DGradients(input: computeInputGradient ? inputGradient : nil, weight: weightGradient,
                           bias: hasBias ? biasGradient : nil)
}

/// One worker's accumulators and scratch for the backward.
private struct Conv2DBackwardBuffers {
    /// `[O, C*kh*kw]` partial weight gradient (accumulated).
    let weightPartial: UnsafeMutablePointer<Float>
    /// `[O]` partial bias gradient (accumulated), nil without a bias.
    let biasPartial: UnsafeMutablePointer<Float>?
    let columns: UnsafeMutablePointer<Float>
    /// Column-gradient scratch; nil when the input gradient is not wanted.
    let columnGradient: UnsafeMutablePointer<Float>?
    /// `[O, group * pixels]` gathered output gradient of an image group.
    let staging: UnsafeMutablePointer<Float>
}

/// Backward of the images `images` of one worker's chunk: accumulates dW (and db) into the worker's partials and
/// writes dX of its images.
private func conv2dBackwardChunk(
    _ plan: Conv2DPlan, images: Range<Int>, x: UnsafePointer<Float>, w: UnsafePointer<Float>,
    dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, buffers: Conv2DBackwardBuffers
) {
    let g = plan.geometry, outChannels = plan.outChannels
    let pixels = g.outputPixels, rows = g.columnRows, inputSize = g.inputPixelsPerImage
    let outputSize = outChannels * pixels
    if plan.usesColumns && buffers.columnGradient != nil {
        (dx + images.lowerBound * inputSize).update(repeating: 0, count: images.count * inputSize)
    }
    if let biasPartial = buffers.biasPartial {
        for image in images {
            for channel in 0..<outChannels {
                biasPartial[channel] += VectorKernels.sum(dy + image * outputSize + channel * pixels, pixels)
            }
        }
    }
    if plan.groupSize == 1 {
        let bands = plan.bands
        for image in images {
            let source = x + image * inputSize, gradient = dy + image * outputSize
            let destination = dx + image * inputSize
            guard plan.usesColumns else {
                // Pointwise: dW += dY [O, P] x X^T [P, C]; dX = W^T [C, O] x dY [O, P].
                matmul(gradient, source, buffers.weightPartial, m: outChannels, n: rows, k: pixels,
                       transposeB: true, beta: 1)
                if buffers.columnGradient != nil {
                    matmul(w, gradient, destination, m: rows, n: pixels, k: outChannels, transposeA: true)
                }
                continue
            }
            for band in bands {
                let bandPixels = band.count * g.outputWidth
                let bandGradient = gradient + band.lowerBound * g.outputWidth
                Im2Col.expand(source, geometry: g, into: buffers.columns, rowStride: bandPixels, outputRows: band)
                matmul(bandGradient, buffers.columns, buffers.weightPartial, m: outChannels, n: rows, k: bandPixels,
                       transposeB: true, beta: 1, lda: pixels)
                if let columnGradient = buffers.columnGradient {
                    matmul(w, bandGradient, columnGradient, m: rows, n: bandPixels, k: outChannels,
                           transposeA: true, ldb: pixels)
                    Im2Col.accumulate(columnGradient, rowStride: bandPixels, geometry: g, into: destination,
                                      outputRows: band)
                }
            }
        }
        return
    }
    var start = images.lowerBound
    while start < images.upperBound {
        let count = min(plan.groupSize, images.upperBound - start)
        let width = count * pixels
        for index in 0..<count {
            Im2Col.expand(x + (start + index) * inputSize, geometry: g, into: buffers.columns + index * pixels,
                          rowStride: width)
            let source = dy + (start + index) * outputSize
            for channel in 0..<outChannels {
                (buffers.staging + channel * width + index * pixels).update(from: source + channel * pixels,
                                                                            count: pixels)
            }
        }
        matmul(buffers.staging, buffers.columns, buffers.weightPartial, m: outChannels, n: rows, k: width,
               transposeB: true, beta: 1)
        if let columnGradient = buffers.columnGradient {
            matmul(w, buffers.staging, columnGradient, m: rows, n: width, k: outChannels, transposeA: true)
            for index in 0..<count {
                Im2Col.accumulate(columnGradient + index * pixels, rowStride: width, geometry: g,
                                  into: dx + (start + index) * inputSize)
            }
        }
        start += count
    }
}

/// `W'[c, o, i, j] = W[o, c, kh - 1 - i, kw - 1 - j]`: the kernel of the adjoint of a stride-1 convolution.
func flippedTransposedKernel(_ weight: Tensor) -> Tensor {
    let (outChannels, inChannels, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
    var result = Tensor(uninitializedShape: [inChannels, outChannels, kh, kw])
    weight.withUnsafePointer { w in
        result.withUnsafeMutablePointer { r in
            for o in 0..<outChannels {
                for c in 0..<inChannels {
                    let source = w + (o * inChannels + c) * kh * kw
                    let destination = r + (c * outChannels + o) * kh * kw
                    for index in 0..<(kh * kw) { destination[kh * kw - 1 - index] = source[index] }
                }
            }
        }
    }
    return result
}

/// `conv2dBackward` in the whole-batch layout (`Conv2DWholeBatch`).
private func conv2dBackwardWholeBatch(
    _ plan: Conv2DPlan, outputGradient: Tensor, input: Tensor, weight: Tensor, hasBias: Bool,
    computeInputGradient: Bool
) -> Conv2DGradients {
    // dx is zeroed image by image by the col2im workers (`Conv2DWholeBatch.backward`).
    var inputGradient = computeInputGradient ? Tensor(uninitializedShape: input.shape) : Tensor.zeros([0])
    var weightGradient = Tensor(uninitializedShape: weight.shape)
    var biasGradient = Tensor(uninitializedShape: [hasBias ? plan.outChannels : 0])
    input.withUnsafePointer { x in
        weight.withUnsafePointer { w in
            outputGradient.withUnsafePointer { dy in
                inputGradient.withUnsafeMutablePointer { dx in
                    weightGradient.withUnsafeMutablePointer { dw in
                        biasGradient.withUnsafeMutablePointer { db in
                            Conv2DWholeBatch.backward(plan, x: x, w: w, dy: dy, dx: computeInputGradient ? dx : nil,
                                                      dw: dw, db: hasBias ? db : nil)
                        }
                    }
                }
            }
        }
    }
    return Conv2DGradients(input: computeInputGradient ? inputGradient : nil, weight: weightGradient,
                           bias: hasBias ? biasGradient : nil)
}
