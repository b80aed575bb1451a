import Foundation
import Partitioning

/// Reads a shards folder's `partition.json` for `histogram` through the one checked reader
/// (`PartitionManifest.read`: a regular file of bounded size, every field validated as untrusted input), then
/// builds the histogram (`PartitionHistogram.init` checks what it indexes with once more). Every failure is one
/// message naming the file, the field and the fix.
enum ManifestFile {
    /// The histogram of `shardsFolder`'s manifest.
    static func histogram(shardsFolder: String) throws(ShardCommandError) -> PartitionHistogram {
        let folder = URL(fileURLWithPath: shardsFolder)
        do throws(ShardError) {
            let manifest = try PartitionManifest.read(shardsFolder: folder)
            return try PartitionHistogram(manifest: manifest,
                                          source: folder.appendingPathComponent(PartitionManifest.fileName).path)
        } catch {
            throw .shard(error)
        }
    }
}
