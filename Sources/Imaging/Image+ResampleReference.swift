// The scalar Swift form of the two resize passes: the definition the C kernels (CResample.h) must equal byte for
// byte. `Image.resized(height:width:kernel: .reference)` runs it; tests compare it with the other kernels.
extension Image {
    /// Rounds a fixed-point sum (with the half already added) to a clamped 8-bit sample.
    @inline(__always)
    static func clampedSample(_ sum: Int32) -> UInt8 {
        let value = sum >> Int32(ResampleCoefficients.precisionBits)
        return UInt8(clamping: value)
    }

    // Both passes walk raw pointers (the indexed form measured 1.5x slower); every address stays inside the
    // buffers by construction: coefficients never name an input outside 0..<inputSize.

    /// Horizontal pass, scalar Swift: over rows `rowRange` of `source`, each output pixel is the weighted sum of
    /// the inputs its coefficients name. Result: `rowRange.count` x `coefficients.outputSize` x `channels`.
    package static func referenceResampleRows(_ source: Image, rowRange: Range<Int>,
                                              with coefficients: ResampleCoefficients) -> Image {
        let channels = source.channels, inputWidth = source.width
        let outputWidth = coefficients.outputSize, taps = coefficients.taps
        let outputRowLength = outputWidth * channels
        let count = rowRange.count * outputRowLength
        let half = Int32(1) << Int32(ResampleCoefficients.precisionBits - 1)
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
            source.pixels.withUnsafeBufferPointer { input in
                coefficients.fixedWeights.withUnsafeBufferPointer { weights in
                    coefficients.firsts.withUnsafeBufferPointer { firsts in
                        coefficients.counts.withUnsafeBufferPointer { counts in
                            guard let inputBase = input.baseAddress, let outputBase = output.baseAddress,
                                  let weightBase = weights.baseAddress else {
                                preconditionFailure("Image: empty pixel buffer")
                            }
                            for (outRow, row) in rowRange.enumerated() {
                                let inRow = inputBase + row * inputWidth * channels
                                let outPixels = outputBase + outRow * outputRowLength
                                for x in 0..<outputWidth {
                                    let weightRow = weightBase + x * taps
                                    let start = inRow + firsts[x] * channels
                                    let span = counts[x]
                                    if channels == 3 {
                                        var red = half, green = half, blue = half
                                        for tap in 0..<span {
                                            let weight = weightRow[tap]
                                            red &+= Int32(start[3 * tap]) &* weight
                                            green &+= Int32(start[3 * tap + 1]) &* weight
                                            blue &+= Int32(start[3 * tap + 2]) &* weight
                                        }
                                        outPixels[3 * x] = clampedSample(red)
                                        outPixels[3 * x + 1] = clampedSample(green)
                                        outPixels[3 * x + 2] = clampedSample(blue)
                                    } else {
                                        var gray = half
                                        for tap in 0..<span { gray &+= Int32(start[tap]) &* weightRow[tap] }
                                        outPixels[x] = clampedSample(gray)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            initialized = count
        }
        return Image(height: rowRange.count, width: outputWidth, channels: channels, pixels: pixels)
    }

    /// Vertical pass, scalar Swift: output row `y` is the weighted sum of rows `firsts[y] - rowOffset ...` of
    /// `source`. Accumulates whole rows at a time (the same integer sums as Pillow's per-pixel loop, in another
    /// order).
    package static func referenceResampleColumns(_ source: Image, rowOffset: Int,
                                                 with coefficients: ResampleCoefficients) -> Image {
        let rowLength = source.width * source.channels
        let outputHeight = coefficients.outputSize, taps = coefficients.taps
        let count = outputHeight * rowLength
        let half = Int32(1) << Int32(ResampleCoefficients.precisionBits - 1)
        var sums = [Int32](repeating: 0, count: rowLength)
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
            source.pixels.withUnsafeBufferPointer { input in
                sums.withUnsafeMutableBufferPointer { sums in
                    guard let inputBase = input.baseAddress, let outputBase = output.baseAddress else {
                        preconditionFailure("Image: empty pixel buffer")
                    }
                    for y in 0..<outputHeight {
                        for index in 0..<rowLength { sums[index] = half }
                        let first = coefficients.firsts[y] - rowOffset
                        for tap in 0..<coefficients.counts[y] {
                            let weight = coefficients.fixedWeights[y * taps + tap]
                            let inRow = inputBase + (first + tap) * rowLength
                            for index in 0..<rowLength { sums[index] &+= Int32(inRow[index]) &* weight }
                        }
                        let outRow = outputBase + y * rowLength
                        for index in 0..<rowLength { outRow[index] = clampedSample(sums[index]) }
                    }
                }
            }
            initialized = count
        }
        return Image(height: outputHeight, width: source.width, channels: source.channels, pixels: pixels)
    }
}
