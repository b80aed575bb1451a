/// Bilinear resize of float NCHW images to `height x width`, with the semantics of
/// `torch.nn.functional.interpolate(x, size=(height, width), mode="bilinear", align_corners=False,
/// antialias=False)`: output pixel `i` samples source coordinate `s = (i + 0.5) * inSize / outSize - 0.5`,
/// clamped below at 0; it blends pixels `floor(s)` and `min(floor(s) + 1, inSize - 1)` with weights
/// `1 - frac(s)` and `frac(s)`. No antialiasing when shrinking (each output reads at most 2x2 inputs).
/// `[N, C, H, W]` -> `[N, C, height, width]`. Parallel over planes.
func bilinearResize(_ input: Tensor, height: Int, width: Int) -> Tensor {
    precondition(input.rank == 4, "bilinearResize: input must be [N, C, H, W], got \(input.shape)")
    precondition(height > 0 && width > 0, "bilinearResize: target size \(height)x\(width) must be positive")
    let inH = input.shape[2], inW = input.shape[3]
    precondition(inH > 0 && inW > 0, "bilinearResize: empty input \(input.shape)")
    let planes = input.shape[0] * input.shape[1]
    var output = Tensor(uninitializedShape: [input.shape[0], input.shape[1], height, width])  // all written below
    let rows = bilinearTaps(input: inH, output: height)
    let columns = bilinearTaps(input: inW, output: width)
    input.withUnsafePointer { x in
        output.withUnsafeMutablePointer { y in
            EngineThreads.parallelChunks(total: planes) { _, range in
                for plane in range {
                    let source = x + plane * inH * inW, destination = y + plane * height * width
                    for outY in 0..<height {
                        let row = rows[outY]
                        let top = source + row.lower * inW, bottom = source + row.upper * inW
                        let outputRow = destination + outY * width
                        for outX in 0..<width {
                            let column = columns[outX]
                            let upper = top[column.lower] * (1 - column.fraction) + top[column.upper] * column.fraction
                            let lower = bottom[column.lower] * (1 - column.fraction)
                                + bottom[column.upper] * column.fraction
                            outputRow[outX] = upper * (1 - row.fraction) + lower * row.fraction
                        }
                    }
                }
            }
        }
    }
    return output
}

/// Source pixels and blend weight for one output coordinate.
struct BilinearTap: Sendable {
    let lower: Int
    let upper: Int
    let fraction: Float
}

/// The taps of every output coordinate along one axis (align_corners=False, PyTorch's float32 arithmetic).
func bilinearTaps(input: Int, output: Int) -> [BilinearTap] {
    let scale = Float(input) / Float(output)
    return (0..<output).map { index in
        let source = max((Float(index) + 0.5) * scale - 0.5, 0)
        let lower = min(Int(source), input - 1)
        let upper = min(lower + 1, input - 1)
        return BilinearTap(lower: lower, upper: upper, fraction: source - Float(lower))
    }
}
