/// Patch extraction for convolutions as matrix products: `im2col` gathers, `col2im` scatter-adds back.
///
/// Column matrix layout: rows `(inputChannel, ky, kx)` (matching OIHW weights), columns `(image, oy, ox)` for the
/// images of one chunk. Out-of-image taps read zero padding.
struct ConvolutionGeometry {
    let channels: Int
    let height: Int
    let width: Int
    let kernel: Int
    let stride: Int
    let padding: Int

    var outputHeight: Int { (height + 2 * padding - kernel) / stride + 1 }
    var outputWidth: Int { (width + 2 * padding - kernel) / stride + 1 }
    /// Rows of the column matrix: `channels * kernel * kernel`.
    var patchSize: Int { channels * kernel * kernel }

    /// Output columns `ox` whose tap `kx` lands inside the image: `lower ..< upper`.
    private func validRange(tap: Int, outputLength: Int, inputLength: Int) -> Range<Int> {
        let shift = padding - tap  // ix = ox * stride - shift
        let lower = shift <= 0 ? 0 : (shift + stride - 1) / stride
        let top = inputLength - 1 + shift
        let upper = top < 0 ? 0 : min(outputLength, top / stride + 1)
        return lower..<max(lower, upper)
    }

    /// Fills `columns` (patchSize x imageCount*outputHeight*outputWidth) from images `first ..< first+imageCount`.
    func im2col(_ input: UnsafePointer<Float>, first: Int, imageCount: Int, into columns: UnsafeMutablePointer<Float>) {
        let (outH, outW) = (outputHeight, outputWidth)
        let columnCount = imageCount * outH * outW
        for channel in 0..<channels {
            for ky in 0..<kernel {
                let rowsValid = validRange(tap: ky, outputLength: outH, inputLength: height)
                for kx in 0..<kernel {
                    let columnsValid = validRange(tap: kx, outputLength: outW, inputLength: width)
                    let row = columns + ((channel * kernel + ky) * kernel + kx) * columnCount
                    for image in 0..<imageCount {
                        let plane = input + ((first + image) * channels + channel) * height * width
                        let target = row + image * outH * outW
                        for oy in 0..<outH {
                            let line = target + oy * outW
                            guard rowsValid.contains(oy) else {
                                line.update(repeating: 0, count: outW)
                                continue
                            }
                            let base = (oy * stride - padding + ky) * width - padding + kx
                            for ox in 0..<columnsValid.lowerBound { line[ox] = 0 }
                            if stride == 1 {
                                for ox in columnsValid { line[ox] = plane[base + ox] }
                            } else {
                                for ox in columnsValid { line[ox] = plane[base + ox * stride] }
                            }
                            for ox in columnsValid.upperBound..<outW { line[ox] = 0 }
                        }
                    }
                }
            }
        }
    }

    /// Adds `columns` back onto images `first ..< first+imageCount` of `output` (the transpose of `im2col`).
    func col2im(_ columns: UnsafePointer<Float>, first: Int, imageCount: Int, into output: UnsafeMutablePointer<Float>) {
        let (outH, outW) = (outputHeight, outputWidth)
        let columnCount = imageCount * outH * outW
        for channel in 0..<channels {
            for ky in 0..<kernel {
                let rowsValid = validRange(tap: ky, outputLength: outH, inputLength: height)
                for kx in 0..<kernel {
                    let columnsValid = validRange(tap: kx, outputLength: outW, inputLength: width)
                    let row = columns + ((channel * kernel + ky) * kernel + kx) * columnCount
                    for image in 0..<imageCount {
                        let plane = output + ((first + image) * channels + channel) * height * width
                        let source = row + image * outH * outW
                        for oy in rowsValid {
                            let line = source + oy * outW
                            let base = (oy * stride - padding + ky) * width - padding + kx
                            if stride == 1 {
                                for ox in columnsValid { plane[base + ox] += line[ox] }
                            } else {
                                for ox in columnsValid { plane[base + ox * stride] += line[ox] }
                            }
                        }
                    }
                }
            }
        }
    }
}
