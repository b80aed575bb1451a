/// Why an image could not be decoded or encoded. Messages say what is wrong and what to do; callers that know
/// the file name add it (`"\(path): \(error)"`). `detail` is the library's own text (libjpeg's
/// `format_message`, libpng's error string) or ours.
public enum ImageCodecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The data does not start with the format's signature.
    case wrongFormat(ImageFormat, detail: String)
    /// The data ends before the image does.
    case truncated(ImageFormat, detail: String)
    /// The library found malformed data (bad marker, checksum, table, ...).
    case corrupt(ImageFormat, detail: String)
    /// Well-formed but a variant FedNC does not decode (12-bit or lossless JPEG).
    case unsupported(ImageFormat, detail: String)
    /// The header announces an image beyond the 2 GiB decode limit.
    case tooLarge(ImageFormat, detail: String)
    case outOfMemory(ImageFormat, detail: String)
    /// The encoder was given an image it cannot write (for example a JPEG over 65,500 pixels wide).
    case cannotEncode(ImageFormat, detail: String)
    /// The file could not be read at all.
    case unreadableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case let .wrongFormat(format, detail):
            return "not a \(format) file (\(detail)); check that the file really is a \(format) image"
        case let .truncated(format, detail):
            return "truncated \(format) data (\(detail)); the file is incomplete: download or extract it again"
        case let .corrupt(format, detail):
            return "corrupt \(format) data (\(detail)); the file is damaged: replace it with a good copy"
        case let .unsupported(.jpeg, detail):
            return "unsupported JPEG variant (\(detail)); only 8-bit JPEGs (baseline, progressive, arithmetic) "
                + "are decoded, not 12-bit or lossless ones: convert the file to an 8-bit JPEG or a PNG first"
        case let .unsupported(format, detail):
            return "unsupported \(format) variant (\(detail)); convert the file to 8-bit RGB or gray first"
        case let .tooLarge(format, detail):
            return "\(format) image too large to decode (\(detail)); reduce it before preparing the dataset"
        case let .outOfMemory(format, detail):
            return "out of memory while decoding \(format) (\(detail)); free memory or reduce parallelism"
        case let .cannotEncode(format, detail):
            return "cannot encode \(format): \(detail)"
        case let .unreadableFile(path, reason):
            return "cannot read \(path): \(reason); check that the file exists and is readable"
        }
    }
}
