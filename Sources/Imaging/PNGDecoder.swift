import CImageCodecs
import Foundation

/// Decodes PNG data with libpng's regular API, giving Pillow's pixels: palette expanded to RGB, gray 1/2/4-bit
/// scaled to 8 bits, 16-bit samples reduced to their high byte, alpha and tRNS dropped without compositing,
/// interlaced files de-interlaced, and no gamma, sRGB, iCCP or cHRM processing. Gray and gray+alpha sources give
/// 1 channel, all others 3.
public struct PNGDecoder: Sendable {
    /// Channels of the result: nil keeps the source's (1 or 3); 1 or 3 converts (`Image.converted(toChannels:)`).
    public var outputChannels: Int?

    public init(outputChannels: Int? = nil) {
        precondition(outputChannels == nil || outputChannels == 1 || outputChannels == 3,
                     "PNGDecoder: outputChannels must be nil, 1 or 3")
        self.outputChannels = outputChannels
    }

    /// Decodes `buffer`, which holds one whole PNG file.
    public func decode(_ buffer: UnsafeRawBufferPointer) throws(ImageCodecError) -> Image {
        let (header, samples) = try PNGDecoder.decodeSamples(buffer, keepGray16: false, as: UInt8.self)
        let image = Image(height: header.height, width: header.width, channels: header.channels, pixels: samples)
        return outputChannels.map { image.converted(toChannels: $0) } ?? image
    }

    /// Decodes a whole PNG file held in `bytes`.
    public func decode(_ bytes: [UInt8]) throws(ImageCodecError) -> Image {
        try withBytes(of: bytes) { (buffer) throws(ImageCodecError) in try decode(buffer) }
    }

    /// Decodes a whole PNG file held in `data`.
    public func decode(_ data: Data) throws(ImageCodecError) -> Image {
        try withBytes(of: data) { (buffer) throws(ImageCodecError) in try decode(buffer) }
    }

    /// Reads and decodes the PNG file at `url`.
    public func decode(contentsOf url: URL) throws(ImageCodecError) -> Image {
        try decode(readEncodedFile(url))
    }

    /// Decodes a 16-bit gray PNG (colour type 0 or 4, bit depth 16) keeping full 16-bit samples (alpha dropped).
    /// Other sources throw `.unsupported`: use `decode(_:)` for them.
    public static func decodeGray16(_ bytes: [UInt8]) throws(ImageCodecError) -> GrayImage16 {
        try withBytes(of: bytes) { (buffer) throws(ImageCodecError) in
            let (header, samples) = try decodeSamples(buffer, keepGray16: true, as: UInt16.self)
            return GrayImage16(height: header.height, width: header.width, samples: samples)
        }
    }

    /// Reads only the header (IHDR and the chunks before the image data).
    public static func header(of buffer: UnsafeRawBufferPointer) throws(ImageCodecError) -> ImageHeader {
        let session = try makeSession()
        defer { fednc_png_decoder_destroy(session) }
        var header = fednc_image_header()
        try start(session, buffer, keepGray16: false, headerOnly: true, into: &header)
        return ImageHeader(header)
    }

    /// Header of the PNG held in `bytes`.
    public static func header(of bytes: [UInt8]) throws(ImageCodecError) -> ImageHeader {
        try withBytes(of: bytes) { (buffer) throws(ImageCodecError) in try header(of: buffer) }
    }

    /// Header of the PNG file at `url` (the file is mapped, not decoded).
    public static func header(contentsOf url: URL) throws(ImageCodecError) -> ImageHeader {
        try withBytes(of: readEncodedFile(url)) { (buffer) throws(ImageCodecError) in try header(of: buffer) }
    }

    // MARK: Session plumbing

    private static func makeSession() throws(ImageCodecError) -> OpaquePointer {
        guard let session = fednc_png_decoder_create() else {
            throw .outOfMemory(.png, detail: "no memory for a decoder session")
        }
        return session
    }

    private static func start(
        _ session: OpaquePointer, _ buffer: UnsafeRawBufferPointer, keepGray16: Bool, headerOnly: Bool,
        into header: inout fednc_image_header
    ) throws(ImageCodecError) {
        guard buffer.count > 0, let base = buffer.baseAddress else {
            throw .truncated(.png, detail: "empty input (0 bytes)")
        }
        let status = fednc_png_decoder_start(session, base.assumingMemoryBound(to: UInt8.self), buffer.count,
                                             keepGray16 ? 1 : 0, headerOnly ? 1 : 0, &header)
        if let error = codecError(status, format: .png, message: String(cString: fednc_png_decoder_message(session))) {
            throw error
        }
    }

    /// Decodes into samples of `Sample` (UInt8, or UInt16 for `keepGray16`), returning the output header.
    private static func decodeSamples<Sample: FixedWidthInteger>(
        _ buffer: UnsafeRawBufferPointer, keepGray16: Bool, as _: Sample.Type
    ) throws(ImageCodecError) -> (header: (height: Int, width: Int, channels: Int), samples: [Sample]) {
        let session = try makeSession()
        defer { fednc_png_decoder_destroy(session) }
        var header = fednc_image_header()
        try start(session, buffer, keepGray16: keepGray16, headerOnly: false, into: &header)
        guard Int(header.output_bytes_per_sample) == MemoryLayout<Sample>.size else {
            throw .unsupported(.png, detail: "16-bit samples requested from a \(header.bit_depth)-bit "
                + "\(ImageHeader(header).colorModel.rawValue) source; only 16-bit gray keeps 16 bits")
        }
        let height = Int(header.output_height), width = Int(header.output_width)
        let channels = Int(header.output_channels)
        guard height > 0, width > 0 else { throw .corrupt(.png, detail: "zero-sized image \(height)x\(width)") }
        let count = height * width * channels
        var status = FEDNC_CODEC_OK
        let samples = [Sample](unsafeUninitializedCapacity: count) { storage, initialized in
            status = fednc_png_decoder_read(session, UnsafeMutableRawPointer(storage.baseAddress)?
                .assumingMemoryBound(to: UInt8.self), count * MemoryLayout<Sample>.size)
            initialized = status == FEDNC_CODEC_OK ? count : 0
        }
        if let error = codecError(status, format: .png, message: String(cString: fednc_png_decoder_message(session))) {
            throw error
        }
        return ((height, width, channels), samples)
    }
}
