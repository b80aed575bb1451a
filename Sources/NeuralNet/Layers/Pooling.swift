import TensorEngine

/// 3x3 max pool, stride 2, padding 1 (torchvision's stem); remembers the arg-max of each window for backward.
final class MaxPool2d {
    private var cache: (inputShape: [Int], argmax: [Int32])?

    func forward(_ x: FeatureMap, cache shouldCache: Bool) -> FeatureMap {
        let result = maxPool2dForward(input: x.tensor, kernelSize: 3, stride: 2, padding: 1)
        cache = shouldCache ? ([x.batch, x.channels, x.height, x.width], result.argmax) : nil
        return FeatureMap(result.output)
    }

    func backward(_ outputGradient: FeatureMap) -> FeatureMap {
        guard let cache else { preconditionFailure("MaxPool2d.backward before a caching forward") }
        self.cache = nil
        return FeatureMap(maxPool2dBackward(outputGradient: outputGradient.tensor, argmax: cache.argmax,
                                            inputShape: cache.inputShape))
    }
}

/// Global average pooling `[B, C, H, W] -> [B, C]` (row-major) and its backward.
enum GlobalAveragePool {
    static func forward(_ x: FeatureMap) -> [Float] {
        globalAveragePoolForward(x.tensor).storage
    }

    /// Spreads `gradient` ([B, C]) evenly over the `height x width` plane.
    static func backward(_ gradient: [Float], batch: Int, channels: Int, height: Int, width: Int) -> FeatureMap {
        FeatureMap(globalAveragePoolBackward(outputGradient: Tensor(shape: [batch, channels], storage: gradient),
                                             inputShape: [batch, channels, height, width]))
    }
}
