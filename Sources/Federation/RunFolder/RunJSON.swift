import Foundation
import Partitioning
import Safetensors

/// The JSON conventions of a run folder: sorted keys, non-finite numbers as the strings "inf", "-inf", "nan".
enum RunJSON {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                      nan: "nan")
        return encoder
    }

    static var prettyEncoder: JSONEncoder {
        let encoder = Self.encoder
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                        nan: "nan")
        return decoder
    }

    /// A run-folder JSON file (run.json, state.json, report.json) larger than this is refused unread: 256 MiB.
    static let maximumFileByteCount = 256 << 20

    /// Decodes the run-folder JSON file at `url` (a regular file of at most `maximumFileByteCount` bytes); a
    /// missing file is `.missing`, anything else wrong `.damaged` naming the file and the field, never Swift's
    /// own type names.
    static func read<Value: Decodable>(_ type: Value.Type, from url: URL) throws(CheckpointError) -> Value {
        let data: Data
        do {
            data = try ShardInputFile.contents(of: url, limit: maximumFileByteCount)
        } catch {
            if !FileManager.default.fileExists(atPath: url.path) { throw .missing(file: url.path) }
            throw .damaged(file: url.path, reason: "cannot be read (\(error.reason))")
        }
        do {
            return try decoder.decode(type, from: data)
        } catch {
            throw .damaged(file: url.path, reason: JSONErrorText.describe(error, data: data, fractionalKeys: nil))
        }
    }

    /// Writes `data` to `url` through a temporary sibling and a rename.
    static func writeAtomically(_ data: Data, to url: URL) throws {
        try data.write(to: url, options: .atomic)
    }
}
