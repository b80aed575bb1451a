/// Element-wise and pooling pieces of ResNet without parameters.
enum Activation {
    /// `max(0, x)` in place.
    static func relu(_ x: inout FeatureMap) {
        x.values.withUnsafeMutableBufferPointer { values in
            for index in values.indices where values[index] < 0 { values[index] = 0 }
        }
    }

    /// Zeroes the gradient where the ReLU's output was not positive.
    static func reluBackward(_ gradient: inout FeatureMap, output: FeatureMap) {
        precondition(gradient.values.count == output.values.count, "reluBackward: shape mismatch")
        output.values.withUnsafeBufferPointer { output in
            gradient.values.withUnsafeMutableBufferPointer { gradient in
                for index in gradient.indices where output[index] <= 0 { gradient[index] = 0 }
            }
        }
    }
}

/// 3x3 max pool, stride 2, padding 1 (torchvision's stem); remembers the arg-max of each window for backward.
final class MaxPool2d {
    let kernel = 3
    let stride = 2
    let padding = 1
    private var inputShape: (batch: Int, channels: Int, height: Int, width: Int)?
    private var argmax: [Int32] = []

    func forward(_ x: FeatureMap, cache: Bool) -> FeatureMap {
        let outH = (x.height + 2 * padding - kernel) / stride + 1
        let outW = (x.width + 2 * padding - kernel) / stride + 1
        var output = FeatureMap(batch: x.batch, channels: x.channels, height: outH, width: outW)
        var positions = [Int32](repeating: 0, count: output.values.count)
        let (height, width, kernel, stride, padding) = (x.height, x.width, kernel, stride, padding)
        x.values.withUnsafeBufferPointer { source in
            output.values.withUnsafeMutableBufferPointer { target in
                positions.withUnsafeMutableBufferPointer { positions in
                    let (source, target, positions) = (source.baseAddress!, target.baseAddress!,
                                                       positions.baseAddress!)
                    Parallel.forEach(x.batch * x.channels) { planeIndex in
                        let plane = source + planeIndex * height * width
                        for oy in 0..<outH {
                            for ox in 0..<outW {
                                var best = -Float.infinity
                                var bestIndex = 0
                                for ky in 0..<kernel {
                                    let iy = oy * stride - padding + ky
                                    guard iy >= 0 && iy < height else { continue }
                                    for kx in 0..<kernel {
                                        let ix = ox * stride - padding + kx
                                        guard ix >= 0 && ix < width else { continue }
                                        let value = plane[iy * width + ix]
                                        if value > best || value.isNaN { best = value; bestIndex = iy * width + ix }
                                    }
                                }
                                let outIndex = planeIndex * outH * outW + oy * outW + ox
                                target[outIndex] = best
                                positions[outIndex] = Int32(bestIndex)
                            }
                        }
                    }
                }
            }
        }
        if cache {
            inputShape = (x.batch, x.channels, x.height, x.width)
            argmax = positions
        }
        return output
    }

    func backward(_ outputGradient: FeatureMap) -> FeatureMap {
        guard let shape = inputShape else { preconditionFailure("MaxPool2d.backward before a caching forward") }
        var inputGradient = FeatureMap(batch: shape.batch, channels: shape.channels, height: shape.height,
                                       width: shape.width)
        let outPlane = outputGradient.spatial
        let inPlane = shape.height * shape.width
        outputGradient.values.withUnsafeBufferPointer { gradient in
            argmax.withUnsafeBufferPointer { positions in
                inputGradient.values.withUnsafeMutableBufferPointer { target in
                    for planeIndex in 0..<(shape.batch * shape.channels) {
                        for index in 0..<outPlane {
                            let outIndex = planeIndex * outPlane + index
                            target[planeIndex * inPlane + Int(positions[outIndex])] += gradient[outIndex]
                        }
                    }
                }
            }
        }
        inputShape = nil
        argmax = []
        return inputGradient
    }
}

/// Global average pooling `[B, C, H, W] -> [B, C]` and its backward.
enum GlobalAveragePool {
    static func forward(_ x: FeatureMap) -> [Float] {
        var pooled = [Float](repeating: 0, count: x.batch * x.channels)
        let plane = x.spatial
        x.values.withUnsafeBufferPointer { source in
            for row in 0..<(x.batch * x.channels) {
                var sum: Float = 0
                for index in (row * plane)..<((row + 1) * plane) { sum += source[index] }
                pooled[row] = sum / Float(plane)
            }
        }
        return pooled
    }

    /// Spreads `gradient` ([B, C]) evenly over the `height x width` plane.
    static func backward(_ gradient: [Float], batch: Int, channels: Int, height: Int, width: Int) -> FeatureMap {
        var result = FeatureMap(batch: batch, channels: channels, height: height, width: width)
        let plane = height * width
        result.values.withUnsafeMutableBufferPointer { target in
            for row in 0..<(batch * channels) {
                let value = gradient[row] / Float(plane)
                for index in (row * plane)..<((row + 1) * plane) { target[index] = value }
            }
        }
        return result
    }
}
