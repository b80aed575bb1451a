/// A batch of 8-bit images as a model consumes them: `count x height x width x channels` row-major,
/// channels 1 (gray, the model repeats it) or 3 (RGB).
public struct PixelBatch: Sendable, Equatable {
    public var count: Int
    public var height: Int
    public var width: Int
    public var channels: Int
    public var pixels: [UInt8]

    public init(count: Int, height: Int, width: Int, channels: Int, pixels: [UInt8]) {
        precondition(pixels.count == count * height * width * channels, "pixel count does not match the shape")
        self.count = count
        self.height = height
        self.width = width
        self.channels = channels
        self.pixels = pixels
    }
}
