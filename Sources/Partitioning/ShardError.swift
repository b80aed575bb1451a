import Checksums
import Safetensors

/// Errors a user can cause when writing, reading or verifying client shards. Each names the file and the fix.
public enum ShardError: Error, Sendable, CustomStringConvertible {
    /// A file of the prepared dataset is missing.
    case missingFile(path: String, hint: String)
    /// `dataset.json` or `partition.json` cannot be parsed or lacks a key.
    case invalidJSON(path: String, reason: String)
    /// A tensor of train.safetensors has the wrong dtype or shape.
    case invalidTensor(path: String, tensor: String, reason: String)
    /// The labels are not a valid 0/1 matrix (wraps the partition error).
    case invalidLabels(path: String, reason: PartitionError)
    /// The partition itself failed (bad parameters, too small clients).
    case partitionFailed(PartitionError)
    /// The output folder holds a different partition (or something else).
    case outputExists(path: String, reason: String)
    /// A file-system operation failed.
    case fileSystem(path: String, reason: String)
    /// Reading or writing a safetensors file failed.
    case safetensors(SafetensorsError)
    /// Hashing a file failed.
    case checksum(ChecksumError)

    /// A message naming the file and the fix.
    public var description: String {
        switch self {
        case let .missingFile(path, hint):
            return "\(path) does not exist; \(hint)"
        case let .invalidJSON(path, reason):
            return "\(path): \(reason)"
        case let .invalidTensor(path, tensor, reason):
            return "\(path): tensor '\(tensor)' \(reason); re-create the prepared dataset with a fednc-<dataset> tool"
        case let .invalidLabels(path, reason):
            return "\(path): \(reason)"
        case let .partitionFailed(reason):
            return reason.description
        case let .outputExists(path, reason):
            return "\(path): \(reason)"
        case let .fileSystem(path, reason):
            return "\(path): \(reason)"
        case let .safetensors(error):
            return error.description
        case let .checksum(error):
            return error.description
        }
    }
}
