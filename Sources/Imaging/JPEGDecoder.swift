import CImageCodecs
import Foundation

/// Decodes JPEG data with libjpeg-turbo as Pillow does: ISLOW IDCT and fancy upsampling (the library defaults),
/// no colour management. Gray JPEGs give 1 channel; YCbCr and RGB give 3; CMYK and YCCK give RGB by Pillow's
/// rule (`R = (C*K + 127) / 255` when an Adobe marker says the values are inverted, else
/// `R = ((255-C)*(255-K) + 127) / 255`). 12-bit and lossless files throw `.unsupported`.
public struct JPEGDecoder: Sendable {
    /// DCT scaling denominator: 1 (full size, default), 2, 4 or 8. The output is `ceil(size / denominator)`.
    public var scaleDenominator: Int
    /// Channels of the result: nil keeps the file's (1 or 3); 1 or 3 converts (`Image.converted(toChannels:)`).
    public var outputChannels: Int?

    public init(scaleDenominator: Int = 1, outputChannels: Int? = nil) {
        precondition([1, 2, 4, 8].contains(scaleDenominator), "JPEGDecoder: scale 1/\(scaleDenominator) unsupported")
        precondition(outputChannels == nil || outputChannels == 1 || outputChannels == 3,
                     "JPEGDecoder: outputChannels must be nil, 1 or 3")
        self.scaleDenominator = scaleDenominator
        self.outputChannels = outputChannels
    }

    /// Decodes `buffer`, which holds one whole JPEG file.
    public func decode(_ buffer: UnsafeRawBufferPointer) throws(ImageCodecError) -> Image {
        guard let session = fednc_jpeg_decoder_create() else {
            throw .outOfMemory(.jpeg, detail: "no memory for a decoder session")
        }
        defer { fednc_jpeg_decoder_destroy(session) }
        var header = fednc_image_header()
        let start = fednc_jpeg_decoder_start(session, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                             buffer.count, Int32(scaleDenominator), 0, &header)
        if let error = codecError(start, format: .jpeg, message: String(cString: fednc_jpeg_decoder_message(session))) {
            throw error
        }
        let height = Int(header.output_height), width = Int(header.output_width)
        let channels = Int(header.output_channels)
        guard height > 0, width > 0 else { throw .corrupt(.jpeg, detail: "zero-sized image \(height)x\(width)") }
        let count = height * width * channels
        var status = FEDNC_CODEC_OK
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { storage, initialized in
            status = fednc_jpeg_decoder_read(session, storage.baseAddress, count)
            initialized = status == FEDNC_CODEC_OK ? count : 0
        }
        if let error = codecError(status, format: .jpeg, message: String(cString: fednc_jpeg_decoder_message(session))) {
            throw error
        }
        let image = Image(height: height, width: width, channels: channels, pixels: pixels)
        return outputChannels.map { image.converted(toChannels: $0) } ?? image
    }

    /// Decodes a whole JPEG file held in `bytes`.
    public func decode(_ bytes: [UInt8]) throws(ImageCodecError) -> Image {
        try withBytes(of: bytes) { (buffer) throws(ImageCodecError) in try decode(buffer) }
    }

    /// Decodes a whole JPEG file held in `data`.
    public func decode(_ data: Data) throws(ImageCodecError) -> Image {
        try withBytes(of: data) { (buffer) throws(ImageCodecError) in try decode(buffer) }
    }

    /// Reads and decodes the JPEG file at `url`.
    public func decode(contentsOf url: URL) throws(ImageCodecError) -> Image {
        try decode(readEncodedFile(url))
    }

    /// Reads only the header of the JPEG in `buffer`: size, channels the decoder would produce, colour model.
    public static func header(of buffer: UnsafeRawBufferPointer) throws(ImageCodecError) -> ImageHeader {
        guard let session = fednc_jpeg_decoder_create() else {
            throw .outOfMemory(.jpeg, detail: "no memory for a decoder session")
        }
        defer { fednc_jpeg_decoder_destroy(session) }
        var header = fednc_image_header()
        let start = fednc_jpeg_decoder_start(session, buffer.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                             buffer.count, 1, 1, &header)
        if let error = codecError(start, format: .jpeg, message: String(cString: fednc_jpeg_decoder_message(session))) {
            throw error
        }
        return ImageHeader(header)
    }

    /// Header of the JPEG held in `bytes`.
    public static func header(of bytes: [UInt8]) throws(ImageCodecError) -> ImageHeader {
        try withBytes(of: bytes) { (buffer) throws(ImageCodecError) in try header(of: buffer) }
    }

    /// Header of the JPEG file at `url` (the file is mapped, not decoded).
    public static func header(contentsOf url: URL) throws(ImageCodecError) -> ImageHeader {
        try withBytes(of: readEncodedFile(url)) { (buffer) throws(ImageCodecError) in try header(of: buffer) }
    }
}
