import CommandSupport
import Partitioning

/// Failures of the subcommands, reported by `runMain()` as one `error:` line.
enum ShardCommandError: FedNCError {
    /// A partitioning, reading or writing failure.
    case shard(ShardError)
    /// `verify` found differences (already listed on standard output).
    case verificationFailed(folder: String, count: Int)
    /// A file could not be written or read.
    case file(path: String, reason: String)

    var description: String {
        switch self {
        case let .shard(error):
            return error.description
        case let .verificationFailed(folder, count):
            return "\(folder): \(count) difference\(count == 1 ? "" : "s") from partition.json (listed above); "
                + "re-create the shards with fednc-shards partition"
        case let .file(path, reason):
            return "\(path): \(reason)"
        }
    }

    var exitCode: Int32 {
        switch self {
        case .verificationFailed: return 3
        default: return 1
        }
    }
}
