/// Why a VOC or ChestX-ray14 sample dataset could not be written.
public enum VOCSampleWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The destination folder already exists (samples never overwrite).
    case destinationExists(path: String)
    /// A file or folder could not be created.
    case cannotWrite(path: String, reason: String)
    /// The image encoder refused an image (a bug: the generator made it).
    case cannotEncode(file: String, reason: String)

    public var description: String {
        switch self {
        case .destinationExists(let path):
            return "\(path) already exists; remove it or choose another --out"
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write (\(reason)); check the --out folder's permissions and free space"
        case .cannotEncode(let file, let reason):
            return "\(file): the encoder failed (\(reason))"
        }
    }
}
