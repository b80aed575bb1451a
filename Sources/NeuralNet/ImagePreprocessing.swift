/// Turns 8-bit NHWC images into the backbone's input `[B, 3, S, S]`: gray repeated to 3 channels, bytes scaled to
/// [0, 1], bilinear resize to `S x S` (PyTorch's `interpolate(mode="bilinear", align_corners=False)`, no
/// antialiasing; skipped when the size already matches), then ImageNet normalisation `(x - mean) / std`.
enum ImagePreprocessing {
    static let mean: [Float] = [0.485, 0.456, 0.406]
    static let standardDeviation: [Float] = [0.229, 0.224, 0.225]

    static func backboneInput(_ images: ImageBatch, size: Int) -> FeatureMap {
        let (height, width, channels) = (images.height, images.width, images.channels)
        var output = FeatureMap(batch: images.count, channels: 3, height: size, width: size)
        let rows = sourceTaps(outputLength: size, inputLength: height)
        let columns = sourceTaps(outputLength: size, inputLength: width)
        images.pixels.withUnsafeBufferPointer { pixels in
            output.values.withUnsafeMutableBufferPointer { target in
                for image in 0..<images.count {
                    let source = image * height * width * channels
                    for channel in 0..<3 {
                        let sourceChannel = channels == 1 ? 0 : channel
                        let plane = (image * 3 + channel) * size * size
                        let (mean, deviation) = (mean[channel], standardDeviation[channel])
                        func pixel(_ y: Int, _ x: Int) -> Float {
                            Float(pixels[source + (y * width + x) * channels + sourceChannel]) / 255
                        }
                        for oy in 0..<size {
                            let row = rows[oy]
                            for ox in 0..<size {
                                let column = columns[ox]
                                let top = pixel(row.lower, column.lower) * (1 - column.weight)
                                    + pixel(row.lower, column.upper) * column.weight
                                let bottom = pixel(row.upper, column.lower) * (1 - column.weight)
                                    + pixel(row.upper, column.upper) * column.weight
                                let value = top * (1 - row.weight) + bottom * row.weight
                                target[plane + oy * size + ox] = (value - mean) / deviation
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// For each output index, the two source indices and the weight of the upper one (align_corners=False).
    static func sourceTaps(outputLength: Int, inputLength: Int) -> [(lower: Int, upper: Int, weight: Float)] {
        if outputLength == inputLength { return (0..<outputLength).map { ($0, $0, 0) } }
        let scale = Float(inputLength) / Float(outputLength)
        return (0..<outputLength).map { index in
            let position = max(0, (Float(index) + 0.5) * scale - 0.5)
            let lower = min(Int(position), inputLength - 1)
            let upper = lower < inputLength - 1 ? lower + 1 : lower
            return (lower, upper, position - Float(lower))
        }
    }
}
