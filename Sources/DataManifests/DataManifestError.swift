/// A manifest could not be found or read.
public enum DataManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No manifest of that name is built in.
    case unknownDataset(name: String, known: [String])
    /// The JSON does not decode as a `DatasetManifest`.
    case invalidManifest(source: String, reason: String)
    /// A manifest file on disk could not be read.
    case cannotRead(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownDataset(name, known):
            "no dataset manifest named '\(name)'; known: \(known.joined(separator: ", "))"
        case let .invalidManifest(source, reason):
            "dataset manifest \(source) is invalid: \(reason)"
        case let .cannotRead(path, reason):
            "cannot read dataset manifest \(path): \(reason)"
        }
    }
}
