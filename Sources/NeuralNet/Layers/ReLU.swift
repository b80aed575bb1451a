import TensorEngine

/// ReLU and residual sums on feature maps (the backend's in-place kernels).
enum Activation {
    /// `max(0, x)` in place.
    static func relu(_ x: inout FeatureMap, _ backend: any EngineBackend) {
        var tensor = x.tensor(backend)
        x.values = []  // keeps the storage uniquely referenced
        backend.reluForwardInPlace(&tensor)
        x = FeatureMap(tensor, backend)
    }

    /// Zeroes the gradient where the ReLU's output was not positive.
    static func reluBackward(_ gradient: inout FeatureMap, output: FeatureMap, _ backend: any EngineBackend) {
        var tensor = gradient.tensor(backend)
        gradient.values = []
        backend.reluBackwardInPlace(gradient: &tensor, output: output.tensor(backend))
        gradient = FeatureMap(tensor, backend)
    }

    /// `x = max(0, x + shortcut)` in place (residual sum and ReLU in one pass). Same shapes.
    static func addRelu(_ x: inout FeatureMap, _ shortcut: FeatureMap, _ backend: any EngineBackend) {
        var tensor = x.tensor(backend)
        x.values = []
        backend.addReluInPlace(&tensor, shortcut.tensor(backend))
        x = FeatureMap(tensor, backend)
    }

    /// `x += other` in place (gradients meeting at a residual sum). Same shapes.
    static func add(_ x: inout FeatureMap, _ other: FeatureMap, _ backend: any EngineBackend) {
        var tensor = x.tensor(backend)
        x.values = []
        backend.addInPlace(&tensor, other.tensor(backend), alpha: 1)
        x = FeatureMap(tensor, backend)
    }
}
