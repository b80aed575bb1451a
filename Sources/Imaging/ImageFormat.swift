/// The two encoded formats FedNC reads and writes.
public enum ImageFormat: String, Sendable, Equatable, CustomStringConvertible {
    case jpeg = "JPEG"
    case png = "PNG"

    public var description: String { rawValue }
}
