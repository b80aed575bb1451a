import TensorEngine

/// 3x3 max pool, stride 2, padding 1 (torchvision's stem); remembers the arg-max of each window for backward.
final class MaxPool2d {
    private var cache: (inputShape: [Int], argmax: [Int32])?

    func forward(_ x: FeatureMap, _ state: StateAccess, cache shouldCache: Bool) -> FeatureMap {
        let result = state.backend.maxPool2dForward(input: x.tensor(state.backend), kernelSize: 3, stride: 2,
                                                    padding: 1)
        cache = shouldCache ? ([x.batch, x.channels, x.height, x.width], result.argmax) : nil
        return FeatureMap(result.output, state.backend)
    }

    func backward(_ outputGradient: FeatureMap, _ state: StateAccess) -> FeatureMap {
        guard let cache else { preconditionFailure("MaxPool2d.backward before a caching forward") }
        self.cache = nil
        return FeatureMap(state.backend.maxPool2dBackward(outputGradient: outputGradient.tensor(state.backend),
                                                          argmax: cache.argmax, inputShape: cache.inputShape),
                          state.backend)
    }
}

/// Global average pooling `[B, C, H, W] -> [B, C]` (row-major) and its backward.
enum GlobalAveragePool {
    static func forward(_ x: FeatureMap, _ backend: any EngineBackend) -> [Float] {
        backend.download(backend.globalAveragePoolForward(x.tensor(backend)))
    }

    /// Spreads `gradient` ([B, C]) evenly over the `height x width` plane.
    static func backward(_ gradient: [Float], batch: Int, channels: Int, height: Int, width: Int,
                         _ backend: any EngineBackend) -> FeatureMap {
        FeatureMap(backend.globalAveragePoolBackward(
            outputGradient: backend.tensor(shape: [batch, channels], values: gradient),
            inputShape: [batch, channels, height, width]), backend)
    }
}
