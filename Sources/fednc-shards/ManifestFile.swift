import Foundation
import Partitioning

/// Reads a shards folder's `partition.json` for `histogram` as a file from outside: it must be a regular file of
/// at most `maximumBytes`, valid JSON with every field of the right type, and the fields the histogram indexes
/// with must agree (`PartitionHistogram.init`). Every failure is one message naming the file, the field and the fix.
/// (The data side's checked manifest reader will take this over; until then the checks sit at this point of use.)
enum ManifestFile {
    /// 256 MiB: far above the manifest of 100,000 clients (about 40 MB).
    static let maximumBytes = 256 << 20

    /// The histogram of `shardsFolder`'s manifest.
    static func histogram(shardsFolder: String) throws(ShardCommandError) -> PartitionHistogram {
        let path = URL(fileURLWithPath: shardsFolder).appendingPathComponent(PartitionManifest.fileName).path
        let manifest = try read(path)
        do {
            return try PartitionHistogram(manifest: manifest, source: path)
        } catch {
            throw .shard(error)
        }
    }

    private static func read(_ path: String) throws(ShardCommandError) -> PartitionManifest {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            throw .file(path: path, reason: "cannot be read (\(reason)); is \(URL(fileURLWithPath: path).deletingLastPathComponent().path) "
                + "a shards folder written by fednc-shards partition?")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw .file(path: path, reason: "is not a regular file; a shards folder holds partition.json as a file")
        }
        guard Int(status.st_size) <= maximumBytes else {
            throw .file(path: path, reason: "is \(status.st_size) bytes, more than any manifest (\(maximumBytes)); "
                + "re-create the shards with fednc-shards partition")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .file(path: path, reason: "cannot be read; check its permissions")
        }
        do {
            return try PartitionManifest.decode(data)
        } catch let error as DecodingError {
            throw .file(path: path, reason: describe(error) + "; re-create the shards with fednc-shards partition")
        } catch {
            throw .file(path: path, reason: "is not valid JSON; re-create the shards with fednc-shards partition")
        }
    }

    /// A `DecodingError` in words: the field's JSON path and what is wrong, without Swift's type names.
    static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            let text = path.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : String(text.drop { $0 == "." })
        }
        switch error {
        case let .keyNotFound(key, context):
            return "\(field(context.codingPath + [key])) is missing"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return "\(field(context.codingPath)) has the wrong type or is null"
        case let .dataCorrupted(context):
            // Foundation's decoder reports a number too large for its field this way too, without a path.
            if context.codingPath.isEmpty { return "is not valid JSON, or holds a number too large for its field" }
            return "\(field(context.codingPath)) has an invalid value (a number out of range, or alpha not a number or \"inf\")"
        @unknown default:
            return "cannot be decoded"
        }
    }
}
