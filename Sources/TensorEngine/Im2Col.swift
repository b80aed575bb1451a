/// im2col / col2im for one NCHW image, optionally restricted to a band of output rows.
///
/// The column matrix has `geometry.columnRows` rows ordered (channel, kernel row, kernel column) and one column
/// per output pixel of the band `outputRows` (row-major, `outputRows.count * outputWidth` columns); matrix row
/// `r` starts at `columns + r * rowStride`, so several images (or bands) can sit side by side in a wider matrix.
enum Im2Col {
    /// Fills the column matrix of `image` (`[channels, height, width]`) for output rows `outputRows`; padding
    /// reads as zero.
    static func expand(
        _ image: UnsafePointer<Float>, geometry g: ConvolutionGeometry,
        into columns: UnsafeMutablePointer<Float>, rowStride: Int, outputRows: Range<Int>? = nil
    ) {
        let band = outputRows ?? 0..<g.outputHeight
        let outW = g.outputWidth, stride = g.stride, padding = g.padding
        var row = 0
        for channel in 0..<g.channels {
            let plane = image + channel * g.height * g.width
            for kernelRow in 0..<g.kernelHeight {
                let valid = g.validRange(kernelOffset: kernelRow, inputExtent: g.height, outputExtent: g.outputHeight)
                // Output rows of the band that read real input rows; the rest are padding (zeros).
                let yLower = min(max(valid.lower, band.lowerBound), band.upperBound)
                let yUpper = max(min(valid.upper, band.upperBound), yLower)
                for kernelColumn in 0..<g.kernelWidth {
                    let (xLower, xUpper) = g.validRange(kernelOffset: kernelColumn, inputExtent: g.width,
                                                        outputExtent: outW)
                    let destinationRow = columns + row * rowStride - band.lowerBound * outW
                    row += 1
                    if yLower > band.lowerBound {
                        VectorKernels.zero(destinationRow + band.lowerBound * outW,
                                           count: (yLower - band.lowerBound) * outW)
                    }
                    if yUpper < band.upperBound {
                        VectorKernels.zero(destinationRow + yUpper * outW, count: (band.upperBound - yUpper) * outW)
                    }
                    if yLower >= yUpper { continue }
                    let firstX = xLower * stride - padding + kernelColumn
                    let validCount = xUpper - xLower
                    for outY in yLower..<yUpper {
                        let source = plane + (outY * stride - padding + kernelRow) * g.width + firstX
                        let destination = destinationRow + outY * outW
                        for index in 0..<xLower { destination[index] = 0 }
                        for index in xUpper..<max(xUpper, outW) { destination[index] = 0 }
                        if validCount <= 0 { continue }
                        if stride == 1 {
                            VectorKernels.copy(source, to: destination + xLower, count: validCount)
                        } else if stride == 2 {
                            gatherEven(source, into: destination + xLower, count: validCount)
                        } else {
                            let target = destination + xLower
                            for index in 0..<validCount { target[index] = source[index * stride] }
                        }
                    }
                }
            }
        }
    }

    /// Adds the column matrix of output rows `outputRows` back into `image` (`[channels, height, width]`,
    /// accumulated, not overwritten): the adjoint of `expand`. Padding positions are dropped.
    static func accumulate(
        _ columns: UnsafePointer<Float>, rowStride: Int, geometry g: ConvolutionGeometry,
        into image: UnsafeMutablePointer<Float>, outputRows: Range<Int>? = nil
    ) {
        let band = outputRows ?? 0..<g.outputHeight
        let outW = g.outputWidth, stride = g.stride, padding = g.padding
        var row = 0
        for channel in 0..<g.channels {
            let plane = image + channel * g.height * g.width
            for kernelRow in 0..<g.kernelHeight {
                let valid = g.validRange(kernelOffset: kernelRow, inputExtent: g.height, outputExtent: g.outputHeight)
                let yLower = min(max(valid.lower, band.lowerBound), band.upperBound)
                let yUpper = max(min(valid.upper, band.upperBound), yLower)
                for kernelColumn in 0..<g.kernelWidth {
                    let (xLower, xUpper) = g.validRange(kernelOffset: kernelColumn, inputExtent: g.width,
                                                        outputExtent: outW)
                    let sourceRow = columns + row * rowStride - band.lowerBound * outW
                    row += 1
                    let count = xUpper - xLower
                    if yLower >= yUpper || count <= 0 { continue }
                    let firstX = xLower * stride - padding + kernelColumn
                    for outY in yLower..<yUpper {
                        let destination = plane + (outY * stride - padding + kernelRow) * g.width + firstX
                        let source = sourceRow + outY * outW + xLower
                        if stride == 1 {
                            VectorKernels.accumulate(source, into: destination, count: count)
                        } else if stride == 2 {
                            scatterAddEven(source, into: destination, count: count)
                        } else {
                            for index in 0..<count { destination[index * stride] += source[index] }
                        }
                    }
                }
            }
        }
    }

    /// `target[i] = source[2 * i]` for `i < count`: eight at a time from 16-wide loads while the load stays inside
    /// `source[0 ... 2 * (count - 1)]`, then one by one.
    @inline(__always)
    static func gatherEven(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        while index + 8 < count {
            let pair = UnsafeRawPointer(source + 2 * index).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(target + index).storeBytes(of: pair.evenHalf, as: SIMD8<Float>.self)
            index += 8
        }
        while index < count {
            target[index] = source[2 * index]
            index += 1
        }
    }

    /// `destination[2 * i] += source[i]` for `i < count` (odd positions rewritten unchanged): eight at a time while
    /// the 16-wide access stays inside `destination[0 ... 2 * (count - 1)]`, then one by one.
    @inline(__always)
    static func scatterAddEven(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        while index + 8 < count {
            let target = UnsafeMutableRawPointer(destination + 2 * index)
            var pair = target.loadUnaligned(as: SIMD16<Float>.self)
            pair.evenHalf += UnsafeRawPointer(source + index).loadUnaligned(as: SIMD8<Float>.self)
            target.storeBytes(of: pair, as: SIMD16<Float>.self)
            index += 8
        }
        while index < count {
            destination[2 * index] += source[index]
            index += 1
        }
    }
}
