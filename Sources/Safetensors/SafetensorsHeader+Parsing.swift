import Foundation

extension SafetensorsHeader {
    /// Parses and validates the JSON header of `path` whose data section holds `dataByteCount` bytes.
    ///
    /// Checks: a JSON object; `__metadata__` (optional, may be null) maps strings to strings; every other key is a
    /// tensor with a known dtype, non-negative shape, two offsets `begin <= end`, `end - begin` equal to
    /// `product(shape) * width`, within the data section; sorted by offset, the tensors tile `0..<dataByteCount`
    /// exactly (no overlap, no gap, no trailing bytes).
    package static func parse(json: Data, dataByteCount: Int, path: String) throws(SafetensorsError)
        -> SafetensorsHeader
    {
        let raw: RawHeader
        do {
            raw = try JSONDecoder().decode(RawHeader.self, from: json)
        } catch let error as DecodingError {
            throw .invalidHeader(path: path, reason: Self.describe(error))
        } catch {
            throw .invalidHeader(path: path, reason: "invalid JSON")  // never Swift's own error names
        }
        if let problem = raw.metadataProblem { throw .invalidMetadata(path: path, reason: problem) }
        var tensors = [String: TensorInfo]()
        for (name, result) in raw.entries.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            let entry: RawEntry
            switch result {
            case .success(let decoded): entry = decoded
            case .failure(let problem): throw .invalidTensorEntry(path: path, tensor: name, reason: problem.reason)
            }
            tensors[name] = try validate(entry, name: name, dataByteCount: dataByteCount, path: path)
        }
        try checkTiling(tensors, dataByteCount: dataByteCount, path: path)
        return SafetensorsHeader(metadata: raw.metadata, tensors: tensors)
    }

    private static func validate(_ entry: RawEntry, name: String, dataByteCount: Int, path: String)
        throws(SafetensorsError) -> TensorInfo
    {
        guard let dtype = TensorDType(rawValue: entry.dtype) else {
            throw .unknownDType(path: path, tensor: name, dtype: entry.dtype)
        }
        guard entry.shape.allSatisfy({ $0 >= 0 }) else {
            throw .invalidTensorEntry(path: path, tensor: name, reason: "negative dimension in shape \(entry.shape)")
        }
        var expectedByteCount = dtype.byteWidth
        for dimension in entry.shape {
            let (product, overflow) = expectedByteCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw .invalidTensorEntry(path: path, tensor: name, reason: "shape \(entry.shape) is too large")
            }
            expectedByteCount = product
        }
        guard entry.dataOffsets.count == 2 else {
            throw .invalidTensorEntry(path: path, tensor: name,
                                      reason: "data_offsets must be [begin, end], got \(entry.dataOffsets)")
        }
        let begin = entry.dataOffsets[0]
        let end = entry.dataOffsets[1]
        guard begin >= 0, end >= begin else {
            throw .invalidTensorEntry(path: path, tensor: name, reason: "data_offsets \(entry.dataOffsets) are not "
                                      + "0 <= begin <= end")
        }
        guard end <= dataByteCount else {
            throw .offsetsOutOfRange(path: path, tensor: name, end: end, dataByteCount: dataByteCount)
        }
        guard end - begin == expectedByteCount else {
            throw .sizeMismatch(path: path, tensor: name, expectedByteCount: expectedByteCount,
                                actualByteCount: end - begin)
        }
        return TensorInfo(dtype: dtype, shape: entry.shape, dataOffsets: begin..<end)
    }

    private static func checkTiling(_ tensors: [String: TensorInfo], dataByteCount: Int, path: String)
        throws(SafetensorsError)
    {
        let ordered = tensors.sorted { lhs, rhs in
            let (a, b) = (lhs.value.dataOffsets, rhs.value.dataOffsets)
            if a.lowerBound != b.lowerBound { return a.lowerBound < b.lowerBound }
            if a.upperBound != b.upperBound { return a.upperBound < b.upperBound }
            return lhs.key.utf8.lexicographicallyPrecedes(rhs.key.utf8)
        }
        var cursor = 0
        for (name, info) in ordered {
            guard info.dataOffsets.lowerBound == cursor else {
                throw .notContiguous(path: path, tensor: name, expectedStart: cursor,
                                     actualStart: info.dataOffsets.lowerBound)
            }
            cursor = info.dataOffsets.upperBound
        }
        guard cursor == dataByteCount else {
            throw .trailingBytes(path: path, dataByteCount: dataByteCount, coveredByteCount: cursor)
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context):
            "invalid JSON: \(context.debugDescription)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
            "not a JSON object of tensors: \(context.debugDescription)"
        @unknown default:
            "invalid JSON"
        }
    }
}

/// The header as decoded, before validation. Problems inside one entry are kept per key so that the error can
/// name the tensor.
private struct RawHeader: Decodable {
    var metadata: [String: String] = [:]
    var metadataProblem: String?
    var entries: [String: Result<RawEntry, EntryProblem>] = [:]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: HeaderKey.self)
        for key in container.allKeys {
            if key.stringValue == Safetensors.metadataKey {
                do {
                    metadata = try container.decodeIfPresent([String: String].self, forKey: key) ?? [:]
                } catch {
                    metadataProblem = "it holds a value that is not a string"
                }
            } else {
                do {
                    entries[key.stringValue] = .success(try container.decode(RawEntry.self, forKey: key))
                } catch let error as DecodingError {
                    entries[key.stringValue] = .failure(EntryProblem(error))
                } catch {
                    entries[key.stringValue] = .failure(EntryProblem(
                        reason: "a number in 'shape' or 'data_offsets' is not a whole number that fits 64 bits"))
                }
            }
        }
    }
}

private struct EntryProblem: Error {
    let reason: String

    init(reason: String) { self.reason = reason }

    init(_ error: DecodingError) {
        switch error {
        case .keyNotFound(let key, _): reason = "missing '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let field = context.codingPath.dropFirst().first?.stringValue ?? "entry"
            reason = "'\(field)' has the wrong type (dtype: string, shape and data_offsets: arrays of integers)"
        @unknown default: reason = "malformed"
        }
    }
}

private struct RawEntry: Decodable {
    let dtype: String
    let shape: [Int]
    let dataOffsets: [Int]

    enum CodingKeys: String, CodingKey {
        case dtype, shape
        case dataOffsets = "data_offsets"
    }
}

private struct HeaderKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
