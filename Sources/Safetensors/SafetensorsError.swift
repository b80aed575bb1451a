/// Why a safetensors file could not be read or written. Every case names the file; tensor-level cases name the
/// tensor.
public enum SafetensorsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened, inspected or mapped.
    case cannotOpen(path: String, reason: String)
    /// The file ends before the 8-byte length prefix or before the header it announces.
    case truncated(path: String, fileByteCount: Int, neededByteCount: Int)
    /// The length prefix announces a header over `Safetensors.maximumHeaderByteCount` bytes.
    case headerTooLarge(path: String, headerByteCount: UInt64)
    /// The header is not a UTF-8 JSON object.
    case invalidHeader(path: String, reason: String)
    /// `__metadata__` is not an object of string to string.
    case invalidMetadata(path: String, reason: String)
    /// A tensor's entry lacks `dtype`, `shape` or `data_offsets`, or has malformed values.
    case invalidTensorEntry(path: String, tensor: String, reason: String)
    /// A tensor's dtype is none of `TensorDType`'s spellings.
    case unknownDType(path: String, tensor: String, dtype: String)
    /// A tensor's byte range does not hold `product(shape) * width` bytes.
    case sizeMismatch(path: String, tensor: String, expectedByteCount: Int, actualByteCount: Int)
    /// A tensor's byte range ends beyond the data section.
    case offsetsOutOfRange(path: String, tensor: String, end: Int, dataByteCount: Int)
    /// Tensors overlap, or leave a gap (their ranges must tile the data section exactly).
    case notContiguous(path: String, tensor: String, expectedStart: Int, actualStart: Int)
    /// Bytes follow the last tensor's data.
    case trailingBytes(path: String, dataByteCount: Int, coveredByteCount: Int)
    /// No tensor of that name in the file.
    case missingTensor(path: String, tensor: String)
    /// The tensor is stored as `stored`, the caller asked for `requested`.
    case dtypeMismatch(path: String, tensor: String, stored: TensorDType, requested: TensorDType)
    /// A row range outside `0..<rowCount`, or row access to a scalar tensor.
    case rowsOutOfRange(path: String, tensor: String, requested: Range<Int>, rowCount: Int)
    /// Writing, copying or renaming failed (disk full, permissions, ...).
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "cannot open safetensors file \(path): \(reason)"
        case let .truncated(path, fileByteCount, neededByteCount):
            "\(path) is truncated: \(fileByteCount) bytes, the header needs at least \(neededByteCount); "
                + "the file was not fully written or copied, write it again"
        case let .headerTooLarge(path, headerByteCount):
            "\(path): header length \(headerByteCount) bytes exceeds the \(Safetensors.maximumHeaderByteCount)-byte "
                + "limit; this is not a safetensors file or it is corrupt"
        case let .invalidHeader(path, reason):
            "\(path): the header is not valid safetensors JSON (\(reason)); the file is corrupt"
        case let .invalidMetadata(path, reason):
            "\(path): __metadata__ must map strings to strings (\(reason))"
        case let .invalidTensorEntry(path, tensor, reason):
            "\(path): tensor '\(tensor)' has a malformed header entry (\(reason))"
        case let .unknownDType(path, tensor, dtype):
            "\(path): tensor '\(tensor)' has unknown dtype '\(dtype)' (known: "
                + TensorDType.allCases.map(\.rawValue).joined(separator: ", ") + ")"
        case let .sizeMismatch(path, tensor, expected, actual):
            "\(path): tensor '\(tensor)' occupies \(actual) bytes but its shape and dtype need \(expected)"
        case let .offsetsOutOfRange(path, tensor, end, dataByteCount):
            "\(path): tensor '\(tensor)' ends at data byte \(end) but the data section has \(dataByteCount) bytes; "
                + "the file is truncated or corrupt"
        case let .notContiguous(path, tensor, expectedStart, actualStart):
            "\(path): tensor '\(tensor)' starts at data byte \(actualStart), expected \(expectedStart) "
                + "(tensors overlap or leave a gap); the file is corrupt"
        case let .trailingBytes(path, dataByteCount, coveredByteCount):
            "\(path): tensors cover \(coveredByteCount) of \(dataByteCount) data bytes; the file has trailing bytes"
        case let .missingTensor(path, tensor):
            "\(path) has no tensor '\(tensor)'; was it written by a different tool or version?"
        case let .dtypeMismatch(path, tensor, stored, requested):
            "\(path): tensor '\(tensor)' is \(stored), not \(requested)"
        case let .rowsOutOfRange(path, tensor, requested, rowCount):
            "\(path): rows \(requested.lowerBound)..<\(requested.upperBound) of tensor '\(tensor)' requested, "
                + "it has \(rowCount) rows"
        case let .writeFailed(path, reason):
            "writing \(path) failed: \(reason); check free disk space and permissions"
        }
    }
}
