import TensorEngine

/// ReLU on feature maps (TensorEngine's in-place kernels).
enum Activation {
    /// `max(0, x)` in place.
    static func relu(_ x: inout FeatureMap) {
        var tensor = x.tensor
        x.values = []  // keeps the storage uniquely referenced
        reluForwardInPlace(&tensor)
        x = FeatureMap(tensor)
    }

    /// Zeroes the gradient where the ReLU's output was not positive.
    static func reluBackward(_ gradient: inout FeatureMap, output: FeatureMap) {
        var tensor = gradient.tensor
        gradient.values = []
        reluBackwardInPlace(gradient: &tensor, output: output.tensor)
        gradient = FeatureMap(tensor)
    }
}
