import CImageCodecs

/// Encodes gray or RGB images as JPEG with libjpeg-turbo (JFIF, Huffman tables from libjpeg's defaults).
public struct JPEGEncoder: Sendable {
    /// libjpeg quality, 1...100 (default 90).
    public var quality: Int
    /// Progressive (libjpeg's simple progression script) instead of baseline. Default false.
    public var isProgressive: Bool
    /// Chroma subsampled 2x2 (4:2:0, libjpeg's and Pillow's default) instead of 4:4:4. Ignored for gray.
    public var subsamplesChroma: Bool

    public init(quality: Int = 90, isProgressive: Bool = false, subsamplesChroma: Bool = true) {
        precondition((1...100).contains(quality), "JPEGEncoder: quality \(quality) outside 1...100")
        self.quality = quality
        self.isProgressive = isProgressive
        self.subsamplesChroma = subsamplesChroma
    }

    /// The JPEG file bytes of `image` (1 channel: grayscale JPEG; 3: YCbCr JPEG).
    public func encode(_ image: Image) throws(ImageCodecError) -> [UInt8] {
        var output = fednc_encoded()
        let status = image.withUnsafePixels { pixels in
            fednc_jpeg_encode(pixels.baseAddress, Int32(clamping: image.width), Int32(clamping: image.height),
                              Int32(image.channels), Int32(quality), isProgressive ? 1 : 0,
                              subsamplesChroma ? 1 : 0, &output)
        }
        return try takeEncoded(&output, status: status, format: .jpeg)
    }
}
