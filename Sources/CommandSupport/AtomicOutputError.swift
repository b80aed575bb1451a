/// Why an output file or folder could not be created or put into place.
public enum AtomicOutputError: FedNCError, Equatable {
    /// The destination exists and replacing it was not requested.
    case destinationExists(path: String)
    /// The temporary sibling could not be created (missing parent folder, permissions, disk full).
    case cannotCreate(path: String, reason: String)
    /// Renaming the finished output onto the destination failed.
    case cannotCommit(path: String, reason: String)

    public var description: String {
        switch self {
        case .destinationExists(let path):
            "\(path) already exists; choose another output or pass --force to replace it"
        case let .cannotCreate(path, reason):
            "cannot create output next to \(path): \(reason); check that the parent folder exists and is writable"
        case let .cannotCommit(path, reason):
            "cannot move the finished output to \(path): \(reason)"
        }
    }
}
