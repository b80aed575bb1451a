/// `conv2dBackward` with an optional fixed number of images per GEMM (benchmarks and tests compare layouts).
package func conv2dBackward(
    outputGradient: Tensor, input: Tensor, weight: Tensor, stride: Int, padding: Int,
    hasBias: Bool, computeInputGradient: Bool, groupSize: Int?
) -> Conv2DGradients {
    let (g, outChannels, batch) = conv2dShapes(input: input, weight: weight, stride: stride, padding: padding)
    precondition(outputGradient.shape == [batch, outChannels, g.outputHeight, g.outputWidth],
                 "conv2d backward: output gradient \(outputGradient.shape), expected "
                 + "\([batch, outChannels, g.outputHeight, g.outputWidth])")
    let pixels = g.outputPixels, rows = g.columnRows, inputSize = g.inputPixelsPerImage
    let outputSize = outChannels * pixels
    let weightSize = outChannels * rows
    var inputGradient = computeInputGradient ? Tensor.zeros(input.shape) : Tensor.zeros([0])
    var weightGradient = Tensor.zeros(weight.shape)
    var biasGradient = Tensor.zeros([hasBias ? outChannels : 0])
    if batch > 0 {
        let chunkCount = min(EngineThreads.workerCount, batch)
        let imagesPerChunk = (batch + chunkCount - 1) / chunkCount
        let group = conv2dGroupSize(g, imagesPerChunk: imagesPerChunk, override: groupSize)
        // Per-chunk partial sums: [chunk][O * rows] weight gradients, then [chunk][O] bias gradients.
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: chunkCount * (weightSize + outChannels))
        partials.initialize(repeating: 0, count: chunkCount * (weightSize + outChannels))
        defer { partials.deallocate() }
        input.withUnsafePointer { x in
            weight.withUnsafePointer { w in
                outputGradient.withUnsafePointer { dy in
                    inputGradient.withUnsafeMutablePointer { dx in
                        EngineThreads.parallelChunks(total: batch, chunkCount: chunkCount) { chunk, range in
                            let weightPartial = partials + chunk * weightSize
                            let biasPartial = partials + chunkCount * weightSize + chunk * outChannels
                            let needsColumns = !(g.isPointwise && group == 1)
                            let span = rows * group * pixels
                            let columns = UnsafeMutablePointer<Float>.allocate(capacity: needsColumns ? span : 1)
                            let columnGradient = UnsafeMutablePointer<Float>.allocate(
                                capacity: computeInputGradient && needsColumns ? span : 1)
                            let gathered = UnsafeMutablePointer<Float>.allocate(
                                capacity: group > 1 ? outChannels * group * pixels : 1)
                            defer { columns.deallocate(); columnGradient.deallocate(); gathered.deallocate() }
                            var start = range.lowerBound
                            while start < range.upperBound {
                                let count = min(group, range.upperBound - start)
                                let width = count * pixels
                                // The output gradient of this group as [O, count * pixels].
                                let groupGradient: UnsafePointer<Float>
                                let matrix: UnsafePointer<Float>
                                if group == 1 {
                                    groupGradient = dy + start * outputSize
                                    if needsColumns {
                                        Im2Col.expand(x + start * inputSize, geometry: g, into: columns,
                                                      rowStride: pixels)
                                        matrix = UnsafePointer(columns)
                                    } else {
                                        matrix = x + start * inputSize
                                    }
                                } else {
                                    for index in 0..<count {
                                        Im2Col.expand(x + (start + index) * inputSize, geometry: g,
                                                      into: columns + index * pixels, rowStride: width)
                                        let source = dy + (start + index) * outputSize
                                        for channel in 0..<outChannels {
                                            (gathered + channel * width + index * pixels).update(
                                                from: source + channel * pixels, count: pixels)
                                        }
                                    }
                                    groupGradient = UnsafePointer(gathered)
                                    matrix = UnsafePointer(columns)
                                }
                                // dW += dY [O, width] x columns^T [width, rows]
                                matmul(groupGradient, matrix, weightPartial, m: outChannels, n: rows, k: width,
                                       transposeB: true, beta: 1)
                                if hasBias {
                                    for channel in 0..<outChannels {
                                        let rowPointer = groupGradient + channel * width
                                        var sum: Float = 0
                                        for pixel in 0..<width { sum += rowPointer[pixel] }
                                        biasPartial[channel] += sum
                                    }
                                }
                                if computeInputGradient {
                                    if !needsColumns {
                                        // Pointwise: dX = W^T [C, O] x dY [O, pixels], written in place.
                                        matmul(w, groupGradient, dx + start * inputSize, m: rows, n: pixels,
                                               k: outChannels, transposeA: true)
                                    } else {
                                        matmul(w, groupGradient, columnGradient, m: rows, n: width, k: outChannels,
                                               transposeA: true)
                                        for index in 0..<count {
                                            Im2Col.accumulate(columnGradient + index * pixels, rowStride: width,
                                                              geometry: g, into: dx + (start + index) * inputSize)
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
        // Fixed-order reduction of the partial sums.
        weightGradient.withUnsafeMutablePointer { dw in
            for chunk in 0..<chunkCount {
                let source = partials + chunk * weightSize
                for index in 0..<weightSize { dw[index] += source[index] }
            }
        }
        if hasBias {
            biasGradient.withUnsafeMutablePointer { db in
                for chunk in 0..<chunkCount {
                    let source = partials + chunkCount * weightSize + chunk * outChannels
                    for index in 0..<outChannels { db[index] += source[index] }
                }
            }
        }
    }
    return Conv2DGradients(input: computeInputGradient ? inputGradient : nil, weight: weightGradient,
                           bias: hasBias ? biasGradient : nil)
}
