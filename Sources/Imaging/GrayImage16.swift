/// A 16-bit gray image (row-major, one sample per pixel), as stored in a 16-bit gray PNG.
public struct GrayImage16: Sendable, Equatable {
    public let height: Int
    public let width: Int
    /// `height * width` samples, row-major.
    public let samples: [UInt16]

    public init(height: Int, width: Int, samples: [UInt16]) {
        precondition(height > 0 && width > 0 && samples.count == height * width,
                     "GrayImage16: \(samples.count) samples for \(height)x\(width)")
        self.height = height
        self.width = width
        self.samples = samples
    }
}
