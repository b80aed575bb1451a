/// Errors reading or writing a run folder's checkpoint.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    case layoutMismatch(String)
    case algorithmState(name: String, reason: String)
    case unreadable(file: String, reason: String)
    case missing(file: String)
    case settingsChanged(String)

    public var description: String {
        switch self {
        case .layoutMismatch(let reason):
            "checkpoint does not fit: \(reason); resume with the same --method, model flags and shards"
        case .algorithmState(let name, let reason):
            "checkpoint algorithm state '\(name)': \(reason); the checkpoint is damaged, start a new run"
        case .unreadable(let file, let reason): "cannot read \(file): \(reason)"
        case .missing(let file): "\(file) is missing; this folder holds no resumable run (drop --resume to start one)"
        case .settingsChanged(let reason):
            "--resume with different settings: \(reason); resume with the original flags or start a new run"
        }
    }
}
