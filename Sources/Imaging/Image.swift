/// An 8-bit image held in memory: `height` rows of `width` pixels of `channels` samples, row-major HWC
/// (`pixels[(y * width + x) * channels + c]`). `channels` is 1 (gray) or 3 (RGB).
///
/// The pixel count always equals `height * width * channels`; mutate through the subscript or
/// `withUnsafeMutablePixels(_:)`, which keep that invariant.
public struct Image: Sendable, Equatable {
    /// Rows, in pixels (>= 1).
    public let height: Int
    /// Columns, in pixels (>= 1).
    public let width: Int
    /// Samples per pixel: 1 (gray) or 3 (RGB).
    public let channels: Int
    /// `height * width * channels` samples, row-major HWC.
    public private(set) var pixels: [UInt8]

    /// Wraps existing samples. Preconditions: positive sizes, `channels` 1 or 3,
    /// `pixels.count == height * width * channels`.
    public init(height: Int, width: Int, channels: Int, pixels: [UInt8]) {
        precondition(height > 0 && width > 0, "Image: size \(height)x\(width) must be positive")
        precondition(channels == 1 || channels == 3, "Image: channels must be 1 or 3, not \(channels)")
        precondition(pixels.count == height * width * channels,
                     "Image: \(pixels.count) samples for \(height)x\(width)x\(channels)")
        self.height = height
        self.width = width
        self.channels = channels
        self.pixels = pixels
    }

    /// A black image (all samples 0).
    public init(height: Int, width: Int, channels: Int) {
        precondition(height > 0 && width > 0, "Image: size \(height)x\(width) must be positive")
        self.init(height: height, width: width, channels: channels,
                  pixels: [UInt8](repeating: 0, count: height * width * channels))
    }

    /// Number of samples (`height * width * channels`).
    public var sampleCount: Int { pixels.count }

    /// The sample at row `y`, column `x`, channel `channel` (all zero-based, bounds-checked).
    public subscript(y: Int, x: Int, channel: Int) -> UInt8 {
        get {
            precondition(y >= 0 && y < height && x >= 0 && x < width && channel >= 0 && channel < channels,
                         "Image: (\(y), \(x), \(channel)) outside \(height)x\(width)x\(channels)")
            return pixels[(y * width + x) * channels + channel]
        }
        set {
            precondition(y >= 0 && y < height && x >= 0 && x < width && channel >= 0 && channel < channels,
                         "Image: (\(y), \(x), \(channel)) outside \(height)x\(width)x\(channels)")
            pixels[(y * width + x) * channels + channel] = newValue
        }
    }

    /// Calls `body` with the samples (HWC) for reading.
    public func withUnsafePixels<Result>(
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        try pixels.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with the samples (HWC) for writing in place; the count cannot change.
    public mutating func withUnsafeMutablePixels<Result>(
        _ body: (UnsafeMutableBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        try pixels.withUnsafeMutableBufferPointer { buffer in try body(buffer) }
    }
}
