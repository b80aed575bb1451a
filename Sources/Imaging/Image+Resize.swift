import CImageCodecs

extension Image {
    /// This image resized to `height` x `width` with Pillow's BILINEAR filter (antialiased: the triangle's
    /// support grows with the reduction factor; see `ResampleCoefficients`). Two separable passes, the first
    /// rounded to 8 bits; an axis whose size does not change is not resampled. The pass order is Pillow 13's
    /// (`passOrderIsVerticalFirst`): horizontal first (over only the rows the vertical pass reads), unless the
    /// height shrinks much more than the width. Equals `PIL.Image.resize((width, height), Image.BILINEAR)` for L
    /// and RGB images.
    public func resized(height outputHeight: Int, width outputWidth: Int) -> Image {
        resized(height: outputHeight, width: outputWidth, kernel: .fastest)
    }

    /// `resized(height:width:)` computed by `kernel` (all kernels give the same bytes).
    package func resized(height outputHeight: Int, width outputWidth: Int, kernel: ResampleKernel) -> Image {
        precondition(outputHeight > 0 && outputWidth > 0, "Image.resized: size \(outputHeight)x\(outputWidth)")
        if outputHeight == height && outputWidth == width { return self }
        let vertical = outputHeight == height ? nil : ResampleCoefficients(inputSize: height, outputSize: outputHeight)
        let horizontal = outputWidth == width ? nil : ResampleCoefficients(inputSize: width, outputSize: outputWidth)
        switch (horizontal, vertical) {
        case let (horizontal?, vertical?):
            if Image.passOrderIsVerticalFirst(height: height, width: width, outputHeight: outputHeight,
                                              outputWidth: outputWidth) {
                let columns = Image.resampleColumns(self, rowOffset: 0, with: vertical, kernel: kernel)
                return Image.resampleRows(columns, rowRange: 0..<outputHeight, with: horizontal, kernel: kernel)
            }
            // Only the rows the vertical pass reads.
            let firstRow = vertical.firsts[0]
            let endRow = vertical.firsts[outputHeight - 1] + vertical.counts[outputHeight - 1]
            let rows = Image.resampleRows(self, rowRange: firstRow..<endRow, with: horizontal, kernel: kernel)
            return Image.resampleColumns(rows, rowOffset: firstRow, with: vertical, kernel: kernel)
        case let (horizontal?, nil):
            return Image.resampleRows(self, rowRange: 0..<height, with: horizontal, kernel: kernel)
        case let (nil, vertical?):
            return Image.resampleColumns(self, rowOffset: 0, with: vertical, kernel: kernel)
        case (nil, nil):
            return self
        }
    }

    /// Whether Pillow 13 runs the vertical pass first: when the height shrinks, by more than twice as many pixels
    /// as the width does (`height - outputHeight > 2 * (width - outputWidth)`). Pillow 13 added this order
    /// (python-pillow/Pillow#9549, "if height is scaled down significantly more than width, resize vertically
    /// first"); the condition was measured against Pillow 13.0 (boundary scans along each size, 160 random
    /// shapes, all matching). It matters because the first pass is rounded to 8 bits: the two orders disagree by
    /// one level on many samples.
    package static func passOrderIsVerticalFirst(height: Int, width: Int, outputHeight: Int, outputWidth: Int) -> Bool {
        outputHeight < height && height - outputHeight > 2 * (width - outputWidth)
    }

    /// Horizontal pass over rows `rowRange` of `source`: each output pixel is the weighted sum of the inputs its
    /// coefficients name. Result: `rowRange.count` x `coefficients.outputSize` x `channels`.
    static func resampleRows(_ source: Image, rowRange: Range<Int>, with coefficients: ResampleCoefficients,
                             kernel: ResampleKernel) -> Image {
        if kernel == .reference { return referenceResampleRows(source, rowRange: rowRange, with: coefficients) }
        let channels = source.channels, outputWidth = coefficients.outputSize
        let rowLength = source.width * channels
        let count = rowRange.count * outputWidth * channels
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
            source.pixels.withUnsafeBufferPointer { input in
                coefficients.withUnsafeArrays { firsts, counts, weights in
                    let status = fednc_resample_rows_u8(
                        input.baseAddress! + rowRange.lowerBound * rowLength, Int32(source.width), Int32(channels),
                        Int32(rowRange.count), output.baseAddress!, Int32(outputWidth), firsts, counts, weights,
                        Int32(coefficients.taps), kernel.cKernel)
                    precondition(status == 0, "Image.resampleRows: the C pass refused its arguments")
                }
            }
            initialized = count
        }
        return Image(height: rowRange.count, width: outputWidth, channels: channels, pixels: pixels)
    }

    /// Vertical pass: output row `y` is the weighted sum of rows `firsts[y] - rowOffset ...` of `source`.
    static func resampleColumns(_ source: Image, rowOffset: Int, with coefficients: ResampleCoefficients,
                                kernel: ResampleKernel) -> Image {
        if kernel == .reference { return referenceResampleColumns(source, rowOffset: rowOffset, with: coefficients) }
        let rowLength = source.width * source.channels, outputHeight = coefficients.outputSize
        let count = outputHeight * rowLength
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
            source.pixels.withUnsafeBufferPointer { input in
                coefficients.withUnsafeArrays { firsts, counts, weights in
                    let status = fednc_resample_columns_u8(
                        input.baseAddress!, Int32(source.height), Int32(rowLength), Int32(rowOffset),
                        output.baseAddress!, Int32(outputHeight), firsts, counts, weights,
                        Int32(coefficients.taps), kernel.cKernel)
                    precondition(status == 0,
                                 "Image.resampleColumns: the C pass failed (\(status): -1 arguments, -2 memory)")
                }
            }
            initialized = count
        }
        return Image(height: outputHeight, width: source.width, channels: source.channels, pixels: pixels)
    }
}

extension ResampleCoefficients {
    /// Calls `body` with the base addresses of `firsts`, `counts` and `fixedWeights` (never empty).
    func withUnsafeArrays<Result>(
        _ body: (UnsafePointer<Int>, UnsafePointer<Int>, UnsafePointer<Int32>) -> Result
    ) -> Result {
        firsts.withUnsafeBufferPointer { firsts in
            counts.withUnsafeBufferPointer { counts in
                fixedWeights.withUnsafeBufferPointer { weights in
                    body(firsts.baseAddress!, counts.baseAddress!, weights.baseAddress!)
                }
            }
        }
    }
}

extension Image {
    /// Whether `ResampleKernel.fastest` runs the AVX2 kernels on this CPU.
    package static var resampleUsesAVX2: Bool { fednc_resample_has_avx2() != 0 }
}

extension ResampleKernel {
    /// The C kernel selector (`.reference` never reaches C).
    var cKernel: fednc_resample_kernel {
        self == .portable ? FEDNC_RESAMPLE_PORTABLE : FEDNC_RESAMPLE_FASTEST
    }
}
