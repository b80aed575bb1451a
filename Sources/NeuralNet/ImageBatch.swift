/// A batch of 8-bit images as the data side stores them: `count x height x width x channels` row-major (NHWC),
/// `channels` 1 (gray) or 3 (RGB). The model converts, resizes and normalises internally.
public struct ImageBatch: Sendable {
    /// Number of images B.
    public var count: Int
    /// Rows per image.
    public var height: Int
    /// Columns per image.
    public var width: Int
    /// 1 (gray, repeated to 3 channels by the model) or 3 (RGB).
    public var channels: Int
    /// `count * height * width * channels` bytes, NHWC.
    public var pixels: [UInt8]

    /// A batch; `pixels.count` must equal `count * height * width * channels` and `channels` must be 1 or 3.
    public init(count: Int, height: Int, width: Int, channels: Int, pixels: [UInt8]) {
        precondition(channels == 1 || channels == 3, "ImageBatch: channels must be 1 or 3, got \(channels)")
        precondition(count >= 0 && height > 0 && width > 0, "ImageBatch: bad shape \(count)x\(height)x\(width)")
        precondition(pixels.count == count * height * width * channels,
                     "ImageBatch: expected \(count * height * width * channels) bytes, got \(pixels.count)")
        self.count = count
        self.height = height
        self.width = width
        self.channels = channels
        self.pixels = pixels
    }
}
