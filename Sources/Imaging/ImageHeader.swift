/// What a header says about an encoded image, read without decoding pixels.
public struct ImageHeader: Sendable, Equatable {
    /// How samples are stored in the file, before any decoding transform.
    public enum ColorModel: String, Sendable, Equatable {
        case gray, grayAlpha, rgb, rgba, palette, yCbCr, cmyk, ycck, other
    }

    /// Size stored in the file, in pixels.
    public var width: Int
    public var height: Int
    /// Samples per pixel the decoder produces: 1 for gray sources (PNG gray and gray+alpha, JPEG gray),
    /// 3 for everything else.
    public var channels: Int
    /// Bits per sample in the file (PNG 1, 2, 4, 8 or 16; JPEG 8, or 12 for the files we refuse).
    public var bitDepth: Int
    public var colorModel: ColorModel
    /// PNG: Adam7 interlaced. JPEG: progressive.
    public var isInterlaced: Bool

    public init(width: Int, height: Int, channels: Int, bitDepth: Int, colorModel: ColorModel, isInterlaced: Bool) {
        self.width = width
        self.height = height
        self.channels = channels
        self.bitDepth = bitDepth
        self.colorModel = colorModel
        self.isInterlaced = isInterlaced
    }
}
