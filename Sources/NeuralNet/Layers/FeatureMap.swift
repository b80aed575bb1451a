import TensorEngine

/// A batch of feature maps, `batch x channels x height x width` row-major (NCHW), float32.
package struct FeatureMap {
    package var batch: Int
    package var channels: Int
    package var height: Int
    package var width: Int
    package var values: [Float]

    /// A zero-filled map.
    package init(batch: Int, channels: Int, height: Int, width: Int) {
        self.init(batch: batch, channels: channels, height: height, width: width,
                  values: [Float](repeating: 0, count: batch * channels * height * width))
    }

    package init(batch: Int, channels: Int, height: Int, width: Int, values: [Float]) {
        precondition(values.count == batch * channels * height * width, "FeatureMap: value count does not match shape")
        self.batch = batch
        self.channels = channels
        self.height = height
        self.width = width
        self.values = values
    }

    /// `height * width`.
    var spatial: Int { height * width }

    /// True when `other` has the same shape.
    func hasSameShape(as other: FeatureMap) -> Bool {
        batch == other.batch && channels == other.channels && height == other.height && width == other.width
    }
}

extension FeatureMap {
    /// The same values as a tensor `[B, C, H, W]` of `backend` (on the CPU it shares storage until one side
    /// writes).
    func tensor(_ backend: any EngineBackend) -> Tensor {
        backend.tensor(shape: [batch, channels, height, width], values: values)
    }

    /// A map from an engine tensor of rank 4 (its values downloaded from `backend`).
    init(_ tensor: Tensor, _ backend: any EngineBackend) {
        precondition(tensor.rank == 4, "FeatureMap: tensor must be [B, C, H, W], got \(tensor.shape)")
        self.init(batch: tensor.shape[0], channels: tensor.shape[1], height: tensor.shape[2], width: tensor.shape[3],
                  values: backend.download(tensor))
    }
}
