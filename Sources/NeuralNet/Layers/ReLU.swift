import TensorEngine

/// ReLU and residual sums on feature maps (TensorEngine's in-place kernels, parallel over element ranges).
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

    /// `x = max(0, x + shortcut)` in place (residual sum and ReLU in one pass). Same shapes.
    static func addRelu(_ x: inout FeatureMap, _ shortcut: FeatureMap) {
        var tensor = x.tensor
        x.values = []
        addReluInPlace(&tensor, shortcut.tensor)
        x = FeatureMap(tensor)
    }

    /// `x += other` in place (gradients meeting at a residual sum). Same shapes.
    static func add(_ x: inout FeatureMap, _ other: FeatureMap) {
        var tensor = x.tensor
        x.values = []
        addInPlace(&tensor, other.tensor)
        x = FeatureMap(tensor)
    }
}
