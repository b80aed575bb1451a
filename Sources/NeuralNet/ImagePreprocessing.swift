import TensorEngine

/// Turns 8-bit NHWC images into the backbone's input `[B, 3, S, S]`: gray repeated to 3 channels, bytes scaled to
/// [0, 1], bilinear resize to `S x S` (the backend's `bilinearResize`, PyTorch's `interpolate(mode="bilinear",
/// align_corners=False)` without antialiasing; skipped when the size already matches), then ImageNet
/// normalisation `(x - mean) / std` per channel.
package enum ImagePreprocessing {
    static let mean: [Float] = [0.485, 0.456, 0.406]
    static let standardDeviation: [Float] = [0.229, 0.224, 0.225]

    /// Every step runs on `backend`: the bytes are handed over as they are.
    package static func backboneInput(_ images: ImageBatch, size: Int, backend: any EngineBackend) -> FeatureMap {
        var planar = backend.planarImages(fromBytes: images.pixels, count: images.count, height: images.height,
                                          width: images.width, channels: images.channels)
        let (height, width) = (images.height, images.width)
        if height != size || width != size { planar = backend.bilinearResize(planar, height: size, width: size) }
        backend.normalizeChannelsInPlace(&planar, mean: mean, standardDeviation: standardDeviation)
        return FeatureMap(planar, backend)
    }
}
