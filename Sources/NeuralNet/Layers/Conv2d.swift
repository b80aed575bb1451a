import SeededRandom

/// 2-D convolution without bias (as in ResNet), weight `[out, in, k, k]` (OIHW), square kernel, zero padding.
///
/// Forward and backward run as matrix products over chunks of images (im2col + GEMM); a chunk holds several
/// images when the output plane is small so the products stay wide. Chunks run in parallel.
final class Conv2d {
    let inChannels: Int
    let outChannels: Int
    let kernel: Int
    let stride: Int
    let padding: Int
    /// Offset of `<name>.weight` in the state.
    let weight: Int
    /// False for the first layer (its input is the image batch).
    let computesInputGradient: Bool
    private var input: FeatureMap?

    init(_ builder: inout LayoutBuilder, name: String, inChannels: Int, outChannels: Int, kernel: Int, stride: Int,
         padding: Int, computesInputGradient: Bool = true) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.computesInputGradient = computesInputGradient
        weight = builder.add("\(name).weight", [outChannels, inChannels, kernel, kernel])
    }

    /// Kaiming normal, fan_out mode, ReLU gain: N(0, 2 / (out * k * k)) (torchvision's ResNet init).
    func initialize(_ values: UnsafeMutablePointer<Float>, random: inout Xoshiro256StarStar) {
        let standardDeviation = (2.0 / Double(outChannels * kernel * kernel)).squareRoot()
        for index in 0..<(outChannels * inChannels * kernel * kernel) {
            values[weight + index] = Float(random.normal() * standardDeviation)
        }
    }

    private func geometry(of x: FeatureMap) -> ConvolutionGeometry {
        ConvolutionGeometry(channels: x.channels, height: x.height, width: x.width, kernel: kernel, stride: stride,
                            padding: padding)
    }

    /// Images per chunk: enough for ~1024 output columns, but at least as many chunks as cores when possible.
    private static func imagesPerChunk(batch: Int, outputPlane: Int) -> Int {
        let perWorker = (batch + Parallel.workerCount - 1) / Parallel.workerCount
        return max(1, min(perWorker, 1024 / max(1, outputPlane)))
    }

    /// `[B, in, H, W] -> [B, out, H', W']`. Caches the input when `cache` (train mode).
    func forward(_ x: FeatureMap, _ state: StateAccess, cache: Bool) -> FeatureMap {
        precondition(x.channels == inChannels, "Conv2d: expected \(inChannels) input channels, got \(x.channels)")
        _ = Gemm.singleThreaded
        input = cache ? x : nil
        let shape = geometry(of: x)
        let plane = shape.outputHeight * shape.outputWidth
        var output = FeatureMap(batch: x.batch, channels: outChannels, height: shape.outputHeight,
                                width: shape.outputWidth)
        let perChunk = Self.imagesPerChunk(batch: x.batch, outputPlane: plane)
        let chunkCount = (x.batch + perChunk - 1) / perChunk
        let (weights, outChannels, patch) = (UnsafePointer(state.values + weight), outChannels, shape.patchSize)
        x.values.withUnsafeBufferPointer { source in
            output.values.withUnsafeMutableBufferPointer { target in
                let (source, target) = (source.baseAddress!, target.baseAddress!)
                Parallel.forEach(chunkCount) { chunk in
                    let first = chunk * perChunk
                    let images = min(perChunk, x.batch - first)
                    let columnCount = images * plane
                    let columns = UnsafeMutablePointer<Float>.allocate(capacity: patch * columnCount)
                    defer { columns.deallocate() }
                    shape.im2col(source, first: first, imageCount: images, into: columns)
                    if images == 1 {
                        Gemm.multiply(weights, columns, into: target + first * outChannels * plane,
                                      m: outChannels, n: columnCount, k: patch)
                        return
                    }
                    let product = UnsafeMutablePointer<Float>.allocate(capacity: outChannels * columnCount)
                    defer { product.deallocate() }
                    Gemm.multiply(weights, columns, into: product, m: outChannels, n: columnCount, k: patch)
                    for image in 0..<images {
                        for channel in 0..<outChannels {
                            let to = target + ((first + image) * outChannels + channel) * plane
                            let from = product + channel * columnCount + image * plane
                            to.update(from: from, count: plane)
                        }
                    }
                }
            }
        }
        return output
    }

    /// Accumulates the weight gradient and returns the input gradient (nil when `computesInputGradient` is false).
    func backward(_ outputGradient: FeatureMap, _ state: StateAccess) -> FeatureMap? {
        guard let x = input else { preconditionFailure("Conv2d.backward before a caching forward") }
        let shape = geometry(of: x)
        let plane = shape.outputHeight * shape.outputWidth
        let patch = shape.patchSize
        let perChunk = Self.imagesPerChunk(batch: x.batch, outputPlane: plane)
        let chunkCount = (x.batch + perChunk - 1) / perChunk
        let workers = min(chunkCount, Parallel.workerCount)
        let weightCount = outChannels * patch
        let accumulators = UnsafeMutablePointer<Float>.allocate(capacity: workers * weightCount)
        accumulators.initialize(repeating: 0, count: workers * weightCount)
        defer { accumulators.deallocate() }
        var inputGradient = computesInputGradient
            ? FeatureMap(batch: x.batch, channels: x.channels, height: x.height, width: x.width) : nil
        let weights = UnsafePointer(state.values + weight)
        let (outChannels, needsInput) = (outChannels, computesInputGradient)
        x.values.withUnsafeBufferPointer { source in
            outputGradient.values.withUnsafeBufferPointer { gradient in
                withOptionalMutablePointer(&inputGradient) { inputTarget in
                    let (source, gradient) = (source.baseAddress!, gradient.baseAddress!)
                    Parallel.forEach(workers) { worker in
                        let columns = UnsafeMutablePointer<Float>.allocate(capacity: patch * perChunk * plane)
                        let gathered = UnsafeMutablePointer<Float>.allocate(capacity: outChannels * perChunk * plane)
                        defer { columns.deallocate(); gathered.deallocate() }
                        for chunk in Swift.stride(from: worker, to: chunkCount, by: workers) {
                            let first = chunk * perChunk
                            let images = min(perChunk, x.batch - first)
                            let columnCount = images * plane
                            shape.im2col(source, first: first, imageCount: images, into: columns)
                            let chunkGradient: UnsafePointer<Float>
                            if images == 1 {
                                chunkGradient = gradient + first * outChannels * plane
                            } else {
                                for image in 0..<images {
                                    for channel in 0..<outChannels {
                                        (gathered + channel * columnCount + image * plane).update(
                                            from: gradient + ((first + image) * outChannels + channel) * plane,
                                            count: plane)
                                    }
                                }
                                chunkGradient = UnsafePointer(gathered)
                            }
                            Gemm.multiply(chunkGradient, columns, transposeB: true,
                                          into: accumulators + worker * weightCount,
                                          m: outChannels, n: patch, k: columnCount, beta: 1)
                            guard needsInput, let inputTarget else { continue }
                            Gemm.multiply(weights, transposeA: true, chunkGradient, into: columns,
                                          m: patch, n: columnCount, k: outChannels)
                            shape.col2im(columns, first: first, imageCount: images, into: inputTarget)
                        }
                    }
                }
            }
        }
        let target = state.requiredGradients + weight
        for worker in 0..<workers {
            let source = accumulators + worker * weightCount
            for index in 0..<weightCount { target[index] += source[index] }
        }
        input = nil
        return inputGradient
    }
}

/// Runs `body` with a pointer to the optional map's values (nil when the map is nil).
func withOptionalMutablePointer<Result>(_ map: inout FeatureMap?,
                                        _ body: (UnsafeMutablePointer<Float>?) -> Result) -> Result {
    guard var unwrapped = map else { return body(nil) }
    map = nil  // keeps the storage uniquely referenced while it is written
    defer { map = unwrapped }
    return unwrapped.values.withUnsafeMutableBufferPointer { body($0.baseAddress) }
}
