/// Errors of the convert pipeline itself (the readers' errors pass through unchanged).
public enum PreparationError: Error, CustomStringConvertible {
    /// A record's producer failed; `underlying` names the input.
    case recordFailed(split: String, record: Int, name: String, underlying: any Error)
    case outputExists(path: String)
    case cannotWrite(path: String, reason: String)
    case invalidOption(String)

    public var description: String {
        switch self {
        case let .recordFailed(split, record, name, underlying):
            return "\(split) record \(record) (\(name)): \(underlying) (nothing was written; --skip-bad skips such records where the tool offers it)"
        case let .outputExists(path):
            return "\(path) already exists; choose another --out or remove it first"
        case let .cannotWrite(path, reason):
            return "\(path): cannot write (\(reason)); check the folder exists and is writable, and the disk has space"
        case let .invalidOption(message):
            return message
        }
    }
}
