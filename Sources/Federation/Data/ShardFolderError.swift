/// Problems with a shards folder a user can fix.
public enum ShardFolderError: Error, CustomStringConvertible, Equatable {
    case missingManifest(path: String)
    case invalidManifest(path: String, reason: String)
    case checksumMismatch(path: String, expected: String, actual: String)
    case unreadable(path: String, reason: String)
    case badTensor(path: String, tensor: String, reason: String)

    public var description: String {
        switch self {
        case .missingManifest(let path):
            "\(path) not found: --shards must name a folder written by `fednc-shards partition`"
        case .invalidManifest(let path, let reason):
            "\(path) is not a valid partition manifest (\(reason)); re-run `fednc-shards partition`"
        case .checksumMismatch(let path, let expected, let actual):
            "\(path): SHA-256 is \(actual), partition.json records \(expected); the file changed since "
                + "partitioning - re-run `fednc-shards partition` (or `fednc-shards verify`)"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .badTensor(let path, let tensor, let reason):
            "\(path), tensor '\(tensor)': \(reason); re-run `fednc-shards partition`"
        }
    }
}
