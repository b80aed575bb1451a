/// im2col / col2im for one NCHW image: the column matrix has `geometry.columnRows` rows ordered (channel, kernel
/// row, kernel column) and `geometry.outputPixels` columns (output row-major); row `r` starts at
/// `columns + r * rowStride`, so several images can sit side by side in one wider matrix.
enum Im2Col {
    /// Fills the column matrix of `image` (`[channels, height, width]`); padding reads as zero.
    static func expand(
        _ image: UnsafePointer<Float>, geometry g: ConvolutionGeometry,
        into columns: UnsafeMutablePointer<Float>, rowStride: Int
    ) {
        let outH = g.outputHeight, outW = g.outputWidth, stride = g.stride, padding = g.padding
        var row = 0
        for channel in 0..<g.channels {
            let plane = image + channel * g.height * g.width
            for kernelRow in 0..<g.kernelHeight {
                let (yLower, yUpper) = g.validRange(kernelOffset: kernelRow, inputExtent: g.height, outputExtent: outH)
                for kernelColumn in 0..<g.kernelWidth {
                    let (xLower, xUpper) = g.validRange(kernelOffset: kernelColumn, inputExtent: g.width,
                                                        outputExtent: outW)
                    let destinationRow = columns + row * rowStride
                    row += 1
                    if yLower > 0 { destinationRow.update(repeating: 0, count: yLower * outW) }
                    if yUpper < outH {
                        (destinationRow + yUpper * outW).update(repeating: 0, count: (outH - yUpper) * outW)
                    }
                    if yLower >= yUpper { continue }
                    for outY in yLower..<yUpper {
                        let source = plane + (outY * stride - padding + kernelRow) * g.width
                        let destination = destinationRow + outY * outW
                        if xLower > 0 { destination.update(repeating: 0, count: xLower) }
                        if xUpper < outW { (destination + xUpper).update(repeating: 0, count: outW - xUpper) }
                        if xLower >= xUpper { continue }
                        let firstX = xLower * stride - padding + kernelColumn
                        if stride == 1 {
                            (destination + xLower).update(from: source + firstX, count: xUpper - xLower)
                        } else {
                            var inputX = firstX
                            for outX in xLower..<xUpper {
                                destination[outX] = source[inputX]
                                inputX += stride
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds the column matrix back into `image` (`[channels, height, width]`, accumulated, not overwritten):
    /// the adjoint of `expand`. Padding positions are dropped.
    static func accumulate(
        _ columns: UnsafePointer<Float>, rowStride: Int, geometry g: ConvolutionGeometry,
        into image: UnsafeMutablePointer<Float>
    ) {
        let outW = g.outputWidth, stride = g.stride, padding = g.padding
        var row = 0
        for channel in 0..<g.channels {
            let plane = image + channel * g.height * g.width
            for kernelRow in 0..<g.kernelHeight {
                let (yLower, yUpper) = g.validRange(kernelOffset: kernelRow, inputExtent: g.height,
                                                    outputExtent: g.outputHeight)
                for kernelColumn in 0..<g.kernelWidth {
                    let (xLower, xUpper) = g.validRange(kernelOffset: kernelColumn, inputExtent: g.width,
                                                        outputExtent: outW)
                    let sourceRow = columns + row * rowStride
                    row += 1
                    if yLower >= yUpper || xLower >= xUpper { continue }
                    let firstX = xLower * stride - padding + kernelColumn
                    for outY in yLower..<yUpper {
                        let destination = plane + (outY * stride - padding + kernelRow) * g.width + firstX
                        let source = sourceRow + outY * outW + xLower
                        let count = xUpper - xLower
                        if stride == 1 {
                            for index in 0..<count { destination[index] += source[index] }
                        } else {
                            var offset = 0
                            for index in 0..<count {
                                destination[offset] += source[index]
                                offset += stride
                            }
                        }
                    }
                }
            }
        }
    }
}
