import TensorEngine

/// Layout conversions between feature maps and token matrices, on the backend.
enum Tokens {
    /// `[B, d, h, w] -> [B*h*w, d]` (token t of sample b is row `b*h*w + t`).
    static func fromFeatureMap(_ map: FeatureMap, _ backend: any EngineBackend) -> [Float] {
        backend.download(backend.tokensFromFeatureMap(map.tensor(backend)))
    }

    /// The inverse layout change.
    static func toFeatureMap(_ tokens: [Float], batch: Int, channels: Int, height: Int, width: Int,
                             _ backend: any EngineBackend) -> FeatureMap {
        FeatureMap(backend.featureMapFromTokens(backend.tensor(shape: [batch * height * width, channels],
                                                               values: tokens),
                                                batch: batch, height: height, width: width), backend)
    }
}
