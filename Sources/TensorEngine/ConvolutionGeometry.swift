/// Sizes of one 2-D convolution (or pooling window) over NCHW images: square stride and padding, no dilation.
///
/// `outputHeight = (height + 2 * padding - kernelHeight) / stride + 1`, likewise for the width (floor division,
/// as PyTorch). Column matrices (im2col) have `columnRows = channels * kernelHeight * kernelWidth` rows, ordered
/// (channel, kernel row, kernel column) to match OIHW weights, and `outputPixels` columns per image.
public struct ConvolutionGeometry: Sendable, Hashable {
    /// Input channels `C`.
    public let channels: Int
    /// Input height `H` in pixels.
    public let height: Int
    /// Input width `W` in pixels.
    public let width: Int
    /// Window height `kh`.
    public let kernelHeight: Int
    /// Window width `kw`.
    public let kernelWidth: Int
    /// Step between windows, both axes.
    public let stride: Int
    /// Zero (convolution) or ignored (pooling) border added on every side.
    public let padding: Int
    /// `(H + 2 * padding - kh) / stride + 1`.
    public let outputHeight: Int
    /// `(W + 2 * padding - kw) / stride + 1`.
    public let outputWidth: Int

    /// Checks the sizes with preconditions (a window must fit the padded image).
    public init(channels: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int) {
        precondition(channels > 0 && height > 0 && width > 0, "convolution: empty image \(channels)x\(height)x\(width)")
        precondition(kernelHeight > 0 && kernelWidth > 0 && stride > 0 && padding >= 0,
                     "convolution: kernel \(kernelHeight)x\(kernelWidth), stride \(stride), padding \(padding)")
        precondition(height + 2 * padding >= kernelHeight && width + 2 * padding >= kernelWidth,
                     "convolution: kernel \(kernelHeight)x\(kernelWidth) larger than padded image \(height)x\(width)")
        self.channels = channels
        self.height = height
        self.width = width
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.padding = padding
        self.outputHeight = (height + 2 * padding - kernelHeight) / stride + 1
        self.outputWidth = (width + 2 * padding - kernelWidth) / stride + 1
    }

    /// `channels * height * width`: elements of one input image.
    public var inputPixelsPerImage: Int { channels * height * width }
    /// `outputHeight * outputWidth`: output pixels per channel.
    public var outputPixels: Int { outputHeight * outputWidth }
    /// `channels * kernelHeight * kernelWidth`: rows of the column matrix (the GEMM's inner size).
    public var columnRows: Int { channels * kernelHeight * kernelWidth }
    /// A 1x1, stride-1, unpadded convolution reads the image itself as its column matrix.
    public var isPointwise: Bool { kernelHeight == 1 && kernelWidth == 1 && stride == 1 && padding == 0 }

    /// Output columns `lower..<upper` whose input column `x * stride - padding + kernelColumn` is inside the image.
    @inline(__always)
    func validRange(kernelOffset: Int, inputExtent: Int, outputExtent: Int) -> (lower: Int, upper: Int) {
        // x * stride - padding + k >= 0  <=>  x >= ceil((padding - k) / stride)
        let shift = padding - kernelOffset
        let lower = shift <= 0 ? 0 : (shift + stride - 1) / stride
        // x * stride - padding + k <= inputExtent - 1  <=>  x <= floor((inputExtent - 1 + padding - k) / stride)
        let last = inputExtent - 1 + shift
        let upper = last < 0 ? 0 : min(outputExtent, last / stride + 1)
        return (min(lower, upper), upper)
    }
}
