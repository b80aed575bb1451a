/// One convolution of ResNet-18 as the benchmark runs it: sizes, and how many times the network uses it.
struct ConvLayerShape: Sendable {
    let name: String
    let inChannels: Int
    let outChannels: Int
    let kernel: Int
    let stride: Int
    let padding: Int
    /// Input height and width (square).
    let size: Int
    /// Convolutions of the network with exactly this shape.
    let multiplicity: Int
    /// The stem convolution needs no input gradient.
    let needsInputGradient: Bool

    var outputSize: Int { (size + 2 * padding - kernel) / stride + 1 }

    /// Multiply-adds x 2 of forward + weight gradient (+ input gradient) for one call at `batch`.
    func flops(batch: Int) -> Double {
        let forward = 2.0 * Double(batch * outChannels * inChannels * kernel * kernel * outputSize * outputSize)
        return forward * (needsInputGradient ? 3 : 2)
    }

    /// ResNet-18's distinct convolution shapes for a stem (`imagenet`: 7x7/2 conv + max pool; `cifar`: 3x3/1 conv,
    /// no pool) at input size `input`.
    static func resnet18(stem: String, input: Int) -> [ConvLayerShape] {
        var layers = [ConvLayerShape]()
        var size: Int
        if stem == "cifar" {
            layers.append(ConvLayerShape(name: "conv1", inChannels: 3, outChannels: 64, kernel: 3, stride: 1, padding: 1,
                                         size: input, multiplicity: 1, needsInputGradient: false))
            size = input
        } else {
            layers.append(ConvLayerShape(name: "conv1", inChannels: 3, outChannels: 64, kernel: 7, stride: 2, padding: 3,
                                         size: input, multiplicity: 1, needsInputGradient: false))
            size = ((input + 6 - 7) / 2 + 1 + 2 - 3) / 2 + 1
        }
        layers.append(ConvLayerShape(name: "layer1.3x3", inChannels: 64, outChannels: 64, kernel: 3, stride: 1,
                                     padding: 1, size: size, multiplicity: 4, needsInputGradient: true))
        var channels = 64
        for stage in 2...4 {
            let wider = channels * 2
            let reduced = (size + 2 - 3) / 2 + 1
            layers.append(ConvLayerShape(name: "layer\(stage).0.conv1", inChannels: channels, outChannels: wider,
                                         kernel: 3, stride: 2, padding: 1, size: size, multiplicity: 1,
                                         needsInputGradient: true))
            layers.append(ConvLayerShape(name: "layer\(stage).3x3", inChannels: wider, outChannels: wider, kernel: 3,
                                         stride: 1, padding: 1, size: reduced, multiplicity: 3,
                                         needsInputGradient: true))
            layers.append(ConvLayerShape(name: "layer\(stage).downsample", inChannels: channels, outChannels: wider,
                                         kernel: 1, stride: 2, padding: 0, size: size, multiplicity: 1,
                                         needsInputGradient: true))
            channels = wider
            size = reduced
        }
        return layers
    }
}
