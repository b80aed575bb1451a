import TensorEngine

/// Turns 8-bit NHWC images into the backbone's input `[B, 3, S, S]`: gray repeated to 3 channels, bytes scaled to
/// [0, 1], bilinear resize to `S x S` (the backend's `bilinearResize`, PyTorch's `interpolate(mode="bilinear",
/// align_corners=False)` without antialiasing; skipped when the size already matches), then ImageNet
/// normalisation `(x - mean) / std` per channel.
package enum ImagePreprocessing {
    static let mean: [Float] = [0.485, 0.456, 0.406]
    static let standardDeviation: [Float] = [0.229, 0.224, 0.225]

    /// The byte conversion is a host loop (the staging buffer); the converted batch is handed to `backend`, which
    /// resizes and normalises it.
    package static func backboneInput(_ images: ImageBatch, size: Int, backend: any EngineBackend) -> FeatureMap {
        let (count, height, width, channels) = (images.count, images.height, images.width, images.channels)
        var host = Tensor(uninitializedShape: [count, 3, height, width])  // every element written below
        let plane = height * width
        images.pixels.withUnsafeBufferPointer { pixels in
            host.withUnsafeMutablePointer { target in
                EngineThreads.parallelChunks(total: count) { _, imageRange in
                    for image in imageRange {
                        for channel in 0..<3 {
                            let sourceChannel = channels == 1 ? 0 : channel
                            let destination = target + (image * 3 + channel) * plane
                            let source = image * plane * channels + sourceChannel
                            for index in 0..<plane {
                                destination[index] = Float(pixels[source + index * channels]) / 255
                            }
                        }
                    }
                }
            }
        }
        let shape = host.shape
        var planar = backend.tensor(shape: shape, values: (consume host).storage)  // unique: no copy on write below
        if height != size || width != size { planar = backend.bilinearResize(planar, height: size, width: size) }
        backend.normalizeChannelsInPlace(&planar, mean: mean, standardDeviation: standardDeviation)
        return FeatureMap(planar)
    }
}
