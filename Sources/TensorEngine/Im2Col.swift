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
                        } else {
                            for index in 0..<count { destination[index * stride] += source[index] }
                        }
                    }
                }
            }
        }
    }
}
