/// Errors reading or writing a run folder's checkpoint.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    case layoutMismatch(String)
    case algorithmState(name: String, reason: String)
    case unreadable(file: String, reason: String)
    /// A run-folder file that is there but damaged: `reason` names the field ("training.epochs is missing").
    case damaged(file: String, reason: String)
    /// A checkpoint safetensors file that is damaged: the Safetensors error's text, which already names the file.
    case damagedTensors(String)
    case missing(file: String)
    case settingsChanged(String)

    /// What to do about a damaged run-folder file.
    static let damagedFix = "the run folder was damaged or written by another FedNC version: start a new run "
        + "in a new --run folder"

    public var description: String {
        switch self {
        case .layoutMismatch(let reason):
            "checkpoint does not fit: \(reason); resume with the same --method, model flags and shards"
        case .algorithmState(let name, let reason):
            "checkpoint algorithm state '\(name)': \(reason); the checkpoint is damaged, start a new run"
        case .unreadable(let file, let reason): "cannot read \(file): \(reason)"
        case .damaged(let file, let reason): "\(file): \(reason); \(Self.damagedFix)"
        case .damagedTensors(let text): "\(text); \(Self.damagedFix)"
        case .missing(let file): "\(file) is missing; this folder holds no resumable run (drop --resume to start one)"
        case .settingsChanged(let reason):
            "--resume with different settings: \(reason); resume with the original flags or start a new run"
        }
    }
}
