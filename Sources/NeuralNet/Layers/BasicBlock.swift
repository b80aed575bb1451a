import SeededRandom

/// torchvision's ResNet BasicBlock: `relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))`, 3x3 convolutions,
/// the first with `stride`; shortcut = identity, or `downsample.0` (1x1 conv, stride) + `downsample.1` (BN) when the
/// stride or the width changes.
package final class BasicBlock {
    let conv1: Conv2d
    let bn1: BatchNorm2d
    let conv2: Conv2d
    let bn2: BatchNorm2d
    let downsample: (convolution: Conv2d, normalization: BatchNorm2d)?
    private var hidden: FeatureMap?
    private var output: FeatureMap?

    init(_ builder: inout LayoutBuilder, name: String, inChannels: Int, outChannels: Int, stride: Int) {
        conv1 = Conv2d(&builder, name: "\(name).conv1", inChannels: inChannels, outChannels: outChannels, kernel: 3,
                       stride: stride, padding: 1)
        bn1 = BatchNorm2d(&builder, name: "\(name).bn1", channels: outChannels)
        conv2 = Conv2d(&builder, name: "\(name).conv2", inChannels: outChannels, outChannels: outChannels, kernel: 3,
                       stride: 1, padding: 1)
        bn2 = BatchNorm2d(&builder, name: "\(name).bn2", channels: outChannels)
        if stride != 1 || inChannels != outChannels {
            downsample = (Conv2d(&builder, name: "\(name).downsample.0", inChannels: inChannels,
                                 outChannels: outChannels, kernel: 1, stride: stride, padding: 0),
                          BatchNorm2d(&builder, name: "\(name).downsample.1", channels: outChannels))
        } else {
            downsample = nil
        }
    }

    func initialize(_ values: UnsafeMutablePointer<Float>, random: inout Xoshiro256StarStar) {
        conv1.initialize(values, random: &random)
        bn1.initialize(values)
        conv2.initialize(values, random: &random)
        bn2.initialize(values)
        if let downsample {
            downsample.convolution.initialize(values, random: &random)
            downsample.normalization.initialize(values)
        }
    }

    func forward(_ x: FeatureMap, _ state: StateAccess, training: Bool) -> FeatureMap {
        var hidden = bn1.forward(conv1.forward(x, state, cache: training), state, training: training)
        Activation.relu(&hidden, state.backend)
        var output = bn2.forward(conv2.forward(hidden, state, cache: training), state, training: training)
        let shortcut = downsample.map {
            $0.normalization.forward($0.convolution.forward(x, state, cache: training), state, training: training)
        } ?? x
        precondition(shortcut.hasSameShape(as: output), "BasicBlock: shortcut shape differs from the residual")
        Activation.addRelu(&output, shortcut, state.backend)
        if training {
            self.hidden = hidden
            self.output = output
        }
        return output
    }

    /// Takes the output gradient by value (`consuming`), so the ReLU mask is applied in place without a copy.
    func backward(_ outputGradient: consuming FeatureMap, _ state: StateAccess) -> FeatureMap {
        guard let hidden, let output else { preconditionFailure("BasicBlock.backward before a train forward") }
        var gradient = consume outputGradient
        Activation.reluBackward(&gradient, output: output, state.backend)
        var hiddenGradient = conv2.backward(bn2.backward(gradient, state), state)
            ?? { preconditionFailure("BasicBlock: conv2 returned no input gradient") }()
        Activation.reluBackward(&hiddenGradient, output: hidden, state.backend)
        guard var inputGradient = conv1.backward(bn1.backward(hiddenGradient, state), state) else {
            preconditionFailure("BasicBlock: conv1 returned no input gradient")
        }
        let shortcutGradient: FeatureMap
        if let downsample {
            guard let fromShortcut = downsample.convolution.backward(
                downsample.normalization.backward(gradient, state), state) else {
                preconditionFailure("BasicBlock: downsample returned no input gradient")
            }
            shortcutGradient = fromShortcut
        } else {
            shortcutGradient = gradient
        }
        Activation.add(&inputGradient, shortcutGradient, state.backend)
        self.hidden = nil
        self.output = nil
        return inputGradient
    }
}
