/// The FedLGT model: ResNet-18 (torchvision layout) and a C-Tran label transformer (`CTranHead`).
/// Defaults are FedLGT's: width 512, 4 heads, 3 layers, dropout 0.1.
package struct LabelTransformerConfiguration: Codable, Sendable, Equatable {
    /// K, the number of classes (label tokens).
    package var classCount: Int
    /// The ResNet-18 stem.
    package var stem: StemKind
    /// Channel multiplier of the backbone (1 = torchvision's resnet18; layer4 has `512 * m` channels, projected
    /// to `dimension` when different).
    package var widthMultiplier: Double
    /// Side S of the square backbone input, pixels.
    package var inputSize: Int
    /// Transformer width d (FedLGT: 512, the CLIP ViT-B/16 text feature size).
    package var dimension: Int
    /// Attention heads per layer.
    package var heads: Int
    /// Encoder layers.
    package var layers: Int
    /// Dropout probability in every encoder layer (train mode).
    package var dropout: Double

    package init(classCount: Int, stem: StemKind = .imagenet, widthMultiplier: Double = 1, inputSize: Int = 224,
                 dimension: Int = 512, heads: Int = 4, layers: Int = 3, dropout: Double = 0.1) {
        self.classCount = classCount
        self.stem = stem
        self.widthMultiplier = widthMultiplier
        self.inputSize = inputSize
        self.dimension = dimension
        self.heads = heads
        self.layers = layers
        self.dropout = dropout
    }

    /// Channel counts of layer1..layer4 (as `ModelConfiguration.stageWidths`).
    package var stageWidths: [Int] {
        ModelConfiguration(classCount: classCount, head: .mlp, stem: stem, widthMultiplier: widthMultiplier,
                           inputSize: inputSize).stageWidths
    }
}
