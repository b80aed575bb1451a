import SeededRandom

/// ResNet-18 without its `fc` layer, laid out and named exactly as torchvision's `resnet18`: `conv1`, `bn1`, ReLU,
/// (max pool), `layer1`..`layer4` of two BasicBlocks each (stride 1, 2, 2, 2). Input `[B, 3, S, S]`, output the
/// layer4 feature map `[B, d, S/32, S/32]` (ImageNet stem) or `[B, d, S/8, S/8]` (CIFAR stem).
final class ResNet18 {
    let stem: StemKind
    let conv1: Conv2d
    let bn1: BatchNorm2d
    let maxPool: MaxPool2d?
    let blocks: [BasicBlock]
    private var stemOutput: FeatureMap?

    init(_ builder: inout LayoutBuilder, stem: StemKind, widths: [Int]) {
        precondition(widths.count == 4, "ResNet18 needs four stage widths")
        self.stem = stem
        switch stem {
        case .imagenet:
            conv1 = Conv2d(&builder, name: "conv1", inChannels: 3, outChannels: widths[0], kernel: 7, stride: 2,
                           padding: 3, computesInputGradient: false)
            maxPool = MaxPool2d()
        case .cifar:
            conv1 = Conv2d(&builder, name: "conv1", inChannels: 3, outChannels: widths[0], kernel: 3, stride: 1,
                           padding: 1, computesInputGradient: false)
            maxPool = nil
        }
        bn1 = BatchNorm2d(&builder, name: "bn1", channels: widths[0])
        var blocks = [BasicBlock]()
        var inChannels = widths[0]
        for (stage, width) in widths.enumerated() {
            for index in 0..<2 {
                let stride = stage > 0 && index == 0 ? 2 : 1
                blocks.append(BasicBlock(&builder, name: "layer\(stage + 1).\(index)", inChannels: inChannels,
                                         outChannels: width, stride: stride))
                inChannels = width
            }
        }
        self.blocks = blocks
    }

    /// Kaiming-normal convolutions in layer order, batch norms to identity.
    func initialize(_ values: UnsafeMutablePointer<Float>, random: inout Xoshiro256StarStar) {
        conv1.initialize(values, random: &random)
        bn1.initialize(values)
        for block in blocks { block.initialize(values, random: &random) }
    }

    func forward(_ images: FeatureMap, _ state: StateAccess, training: Bool) -> FeatureMap {
        var x = bn1.forward(conv1.forward(images, state, cache: training), state, training: training)
        Activation.relu(&x, state.backend)
        if training { stemOutput = x }
        if let maxPool { x = maxPool.forward(x, state, cache: training) }
        for block in blocks { x = block.forward(x, state, training: training) }
        return x
    }

    /// Accumulates every backbone gradient from the layer4 feature-map gradient.
    func backward(_ featureGradient: FeatureMap, _ state: StateAccess) {
        guard let stemOutput else { preconditionFailure("ResNet18.backward before a train forward") }
        var gradient = featureGradient
        for block in blocks.reversed() { gradient = block.backward(consume gradient, state) }
        if let maxPool { gradient = maxPool.backward(gradient, state) }
        Activation.reluBackward(&gradient, output: stemOutput, state.backend)
        _ = conv1.backward(bn1.backward(gradient, state), state)
        self.stemOutput = nil
    }
}
