/// Whole-batch convolution layout for small maps (trainer.md "Engine": at 8x8 and 4x4 one GEMM over the batch
/// beats per-image GEMMs, which are too thin). The columns of all images sit side by side in one
/// `[C*kh*kw, N*Ho*Wo]` matrix (image-major columns); each product is one GEMM split over the workers by rows or
/// columns of its result (`matmul(parallel:)`), so every output element, including the weight gradient, is summed
/// by one worker in a fixed order - no partial sums.
enum Conv2DWholeBatch {
    /// `y = conv(x, w) (+ bias)`; `y` is `[N, O, Ho, Wo]`, fully overwritten.
    static func forward(
        _ plan: Conv2DPlan, x: UnsafePointer<Float>, w: UnsafePointer<Float>, bias: [Float]?,
        y: UnsafeMutablePointer<Float>
    ) {
        let g = plan.geometry, outChannels = plan.outChannels, batch = plan.batch
        let pixels = g.outputPixels, rows = g.columnRows, width = batch * pixels
        ScratchPool.shared.withBuffer(count: rows * width) { columns in
            ScratchPool.shared.withBuffer(count: outChannels * width) { product in
                expandAll(plan, x: x, into: columns)
                matmul(w, columns, product, m: outChannels, n: width, k: rows, parallel: true)
                EngineThreads.parallelChunks(total: batch) { _, images in
                    for image in images {
                        for channel in 0..<outChannels {
                            let source = product + channel * width + image * pixels
                            let destination = y + (image * outChannels + channel) * pixels
                            if let bias {
                                let value = bias[channel]
                                for pixel in 0..<pixels { destination[pixel] = source[pixel] + value }
                            } else {
                                VectorKernels.copy(source, to: destination, count: pixels)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Weight gradient `dw` (`[O, C*kh*kw]`, overwritten), bias gradient `db` (`[O]`, overwritten, if wanted) and
    /// input gradient `dx` (`[N, C, H, W]`, overwritten, if wanted).
    static func backward(
        _ plan: Conv2DPlan, x: UnsafePointer<Float>, w: UnsafePointer<Float>, dy: UnsafePointer<Float>,
        dx: UnsafeMutablePointer<Float>?, dw: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>?
    ) {
        let g = plan.geometry, outChannels = plan.outChannels, batch = plan.batch
        let pixels = g.outputPixels, rows = g.columnRows, width = batch * pixels
        let inputSize = g.inputPixelsPerImage
        ScratchPool.shared.withBuffer(count: rows * width) { columns in
            ScratchPool.shared.withBuffer(count: outChannels * width) { gathered in
                expandAll(plan, x: x, into: columns)
                // dY as [O, N * pixels], image-major columns like the column matrix.
                EngineThreads.parallelChunks(total: batch) { _, images in
                    for image in images {
                        for channel in 0..<outChannels {
                            VectorKernels.copy(dy + (image * outChannels + channel) * pixels,
                                               to: gathered + channel * width + image * pixels, count: pixels)
                        }
                    }
                }
                if let db {
                    EngineThreads.parallelChunks(total: outChannels) { _, channels in
                        for channel in channels { db[channel] = VectorKernels.sum(gathered + channel * width, width) }
                    }
                }
                matmul(gathered, columns, dw, m: outChannels, n: rows, k: width, transposeB: true, parallel: true)
                guard let dx else { return }
                // The column gradient reuses the column buffer (the columns are no longer needed).
                matmul(w, gathered, columns, m: rows, n: width, k: outChannels, transposeA: true, parallel: true)
                EngineThreads.parallelChunks(total: batch) { _, images in
                    (dx + images.lowerBound * inputSize).update(repeating: 0, count: images.count * inputSize)
                    for image in images {
                        Im2Col.accumulate(columns + image * pixels, rowStride: width, geometry: g,
                                          into: dx + image * inputSize)
                    }
                }
            }
        }
    }

    /// im2col of every image into `columns` (`[C*kh*kw, N*pixels]`), parallel over images.
    private static func expandAll(_ plan: Conv2DPlan, x: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>) {
        let g = plan.geometry, pixels = g.outputPixels, width = plan.batch * pixels
        EngineThreads.parallelChunks(total: plan.batch) { _, images in
            for image in images {
                Im2Col.expand(x + image * g.inputPixelsPerImage, geometry: g, into: columns + image * pixels,
                              rowStride: width)
            }
        }
    }
}
