import CImageCodecs

/// Encodes PNG files with libpng (non-interlaced, adaptive filtering, no ancillary chunks).
public struct PNGEncoder: Sendable {
    /// zlib compression level 0...9 (default 6).
    public var compressionLevel: Int

    public init(compressionLevel: Int = 6) {
        precondition((0...9).contains(compressionLevel), "PNGEncoder: level \(compressionLevel) outside 0...9")
        self.compressionLevel = compressionLevel
    }

    /// An 8-bit gray (1 channel) or RGB (3 channels) PNG of `image`.
    public func encode(_ image: Image) throws(ImageCodecError) -> [UInt8] {
        try withBytes(of: image.pixels) { (raw) throws(ImageCodecError) in
            try encode(raw, height: image.height, width: image.width, channels: image.channels, bitDepth: 8)
        }
    }

    /// An 8-bit RGBA PNG from `pixels` (`height * width * 4` samples, HWC, alpha not premultiplied).
    public func encodeRGBA(_ pixels: [UInt8], height: Int, width: Int) throws(ImageCodecError) -> [UInt8] {
        precondition(pixels.count == height * width * 4, "PNGEncoder: \(pixels.count) samples for \(height)x\(width)x4")
        return try withBytes(of: pixels) { (raw) throws(ImageCodecError) in
            try encode(raw, height: height, width: width, channels: 4, bitDepth: 8)
        }
    }

    /// A 16-bit gray PNG of `image`.
    public func encode(_ image: GrayImage16) throws(ImageCodecError) -> [UInt8] {
        try withBytes(of: image.samples) { (raw) throws(ImageCodecError) in
            try encode(raw, height: image.height, width: image.width, channels: 1, bitDepth: 16)
        }
    }

    private func encode(
        _ samples: UnsafeRawBufferPointer, height: Int, width: Int, channels: Int, bitDepth: Int
    ) throws(ImageCodecError) -> [UInt8] {
        guard height <= Int(UInt32.max >> 1), width <= Int(UInt32.max >> 1) else {
            throw .cannotEncode(.png, detail: "\(height)x\(width) exceeds PNG's 2^31-1 pixel limit")
        }
        var output = fednc_encoded()
        let status = fednc_png_encode(samples.baseAddress, Int32(width), Int32(height), Int32(channels),
                                      Int32(bitDepth), Int32(compressionLevel), &output)
        return try takeEncoded(&output, status: status, format: .png)
    }
}
