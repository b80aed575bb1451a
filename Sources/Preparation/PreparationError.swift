/// Errors of the convert pipeline itself (the readers' errors pass through unchanged).
public enum PreparationError: Error, CustomStringConvertible {
    /// A record's producer failed; `underlying` names the input.
    case recordFailed(split: String, record: Int, name: String, underlying: any Error)
    case outputExists(path: String)
    case cannotWrite(path: String, reason: String)
    case invalidOption(String)
    /// The training split has no records (its list is empty, or `--skip-bad` skipped every record): nothing
    /// could be partitioned or trained, so no dataset is written.
    case emptyTrainingSplit(skipped: Int)

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
        case let .emptyTrainingSplit(skipped):
            if skipped > 0 {
                return "the train split is empty: --skip-bad skipped all \(skipped) of its records (nothing was "
                    + "written); fix or replace the bad inputs"
            }
            return "the train split is empty: its list or source holds no records (nothing was written); check "
                + "the split lists and the raw dataset path"
        }
    }
}
