import CImageCodecs
import Foundation

/// Turns the C target's status and message into `ImageCodecError` (nil for success).
func codecError(_ status: fednc_codec_status, format: ImageFormat, message: String) -> ImageCodecError? {
    switch status {
    case FEDNC_CODEC_OK: return nil
    case FEDNC_CODEC_TRUNCATED: return .truncated(format, detail: message)
    case FEDNC_CODEC_UNSUPPORTED: return .unsupported(format, detail: message)
    case FEDNC_CODEC_WRONG_FORMAT: return .wrongFormat(format, detail: message)
    case FEDNC_CODEC_OUT_OF_MEMORY: return .outOfMemory(format, detail: message)
    case FEDNC_CODEC_TOO_LARGE: return .tooLarge(format, detail: message)
    case FEDNC_CODEC_INVALID_ARGUMENT:
        preconditionFailure("CImageCodecs rejected its arguments (a bug in Imaging): \(message)")
    default: return .corrupt(format, detail: message)
    }
}

extension ImageHeader {
    /// The public header from the C header (sizes as stored in the file).
    init(_ header: fednc_image_header) {
        let model: ColorModel
        switch header.color_model {
        case FEDNC_COLOR_GRAY: model = .gray
        case FEDNC_COLOR_GRAY_ALPHA: model = .grayAlpha
        case FEDNC_COLOR_RGB: model = .rgb
        case FEDNC_COLOR_RGBA: model = .rgba
        case FEDNC_COLOR_PALETTE: model = .palette
        case FEDNC_COLOR_YCBCR: model = .yCbCr
        case FEDNC_COLOR_CMYK: model = .cmyk
        case FEDNC_COLOR_YCCK: model = .ycck
        default: model = .other
        }
        self.init(width: Int(header.width), height: Int(header.height), channels: Int(header.output_channels),
                  bitDepth: Int(header.bit_depth), colorModel: model, isInterlaced: header.interlaced != 0)
    }
}

/// Reads a whole file into memory, as `ImageCodecError.unreadableFile` on failure.
func readEncodedFile(_ url: URL) throws(ImageCodecError) -> Data {
    do {
        return try Data(contentsOf: url, options: .mappedIfSafe)
    } catch {
        throw .unreadableFile(path: url.path, reason: error.localizedDescription)
    }
}

/// Runs a typed-throwing closure over the bytes of `data` (Foundation's closure API erases typed errors).
func withBytes<Result>(
    of data: Data, _ body: (UnsafeRawBufferPointer) throws(ImageCodecError) -> Result
) throws(ImageCodecError) -> Result {
    let outcome = data.withUnsafeBytes { buffer in
        Swift.Result { () throws(ImageCodecError) -> Result in try body(buffer) }
    }
    return try outcome.get()
}

/// Same for the bytes of an array.
func withBytes<Element, Result>(
    of bytes: [Element], _ body: (UnsafeRawBufferPointer) throws(ImageCodecError) -> Result
) throws(ImageCodecError) -> Result {
    let outcome = bytes.withUnsafeBytes { buffer in
        Swift.Result { () throws(ImageCodecError) -> Result in try body(buffer) }
    }
    return try outcome.get()
}

/// Copies the C encoder's malloc'ed output into an array and frees it, or throws its failure.
func takeEncoded(
    _ output: inout fednc_encoded, status: fednc_codec_status, format: ImageFormat
) throws(ImageCodecError) -> [UInt8] {
    defer { fednc_codec_free(output.data) }
    let message = withUnsafeBytes(of: &output.message) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }
    switch status {
    case FEDNC_CODEC_OK:
        guard let data = output.data else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: output.size))
    case FEDNC_CODEC_OUT_OF_MEMORY:
        throw .outOfMemory(format, detail: message)
    default:
        throw .cannotEncode(format, detail: message)
    }
}
