import SeededRandom
import TensorEngine

/// 2-D convolution without bias (as in ResNet), weight `<name>.weight` `[out, in, k, k]` (OIHW), square kernel,
/// zero padding; the backend's `conv2dForward` / `conv2dBackward`.
final class Conv2d {
    let inChannels: Int
    let outChannels: Int
    let kernel: Int
    let stride: Int
    let padding: Int
    /// Offset of `<name>.weight` in the state.
    let weight: Int
    /// False for the first layer (its input is the image batch).
    let computesInputGradient: Bool
    private var cache: (input: Tensor, weight: Tensor)?

    init(_ builder: inout LayoutBuilder, name: String, inChannels: Int, outChannels: Int, kernel: Int, stride: Int,
         padding: Int, computesInputGradient: Bool = true) {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.computesInputGradient = computesInputGradient
        weight = builder.add("\(name).weight", [outChannels, inChannels, kernel, kernel])
    }

    private var weightShape: [Int] { [outChannels, inChannels, kernel, kernel] }

    /// Kaiming normal, fan_out mode, ReLU gain: N(0, 2 / (out * k * k)) (torchvision's ResNet init).
    func initialize(_ values: UnsafeMutablePointer<Float>, random: inout Xoshiro256StarStar) {
        let standardDeviation = (2.0 / Double(outChannels * kernel * kernel)).squareRoot()
        for index in 0..<(outChannels * inChannels * kernel * kernel) {
            values[weight + index] = Float(random.normal() * standardDeviation)
        }
    }

    /// `[B, in, H, W] -> [B, out, H', W']`. Caches the input and the weights when `cache` (train mode).
    func forward(_ x: FeatureMap, _ state: StateAccess, cache: Bool) -> FeatureMap {
        precondition(x.channels == inChannels, "Conv2d: expected \(inChannels) input channels, got \(x.channels)")
        let input = x.tensor(state.backend)
        let weights = state.tensor(at: weight, shape: weightShape)
        self.cache = cache ? (input, weights) : nil
        return FeatureMap(state.backend.conv2dForward(input: input, weight: weights, bias: nil, stride: stride,
                                                      padding: padding), state.backend)
    }

    /// Accumulates the weight gradient and returns the input gradient (nil when `computesInputGradient` is false).
    func backward(_ outputGradient: FeatureMap, _ state: StateAccess) -> FeatureMap? {
        guard let cache else { preconditionFailure("Conv2d.backward before a caching forward") }
        let gradients = state.backend.conv2dBackward(outputGradient: outputGradient.tensor(state.backend),
                                                     input: cache.input, weight: cache.weight, stride: stride,
                                                     padding: padding, hasBias: false,
                                                     computeInputGradient: computesInputGradient)
        state.accumulateGradient(gradients.weight, at: weight)
        self.cache = nil
        return gradients.input.map { FeatureMap($0, state.backend) }
    }
}
