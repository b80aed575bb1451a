import Checksums
import Foundation

/// Where the prepared dataset of a shards folder is, so a shards folder keeps working after it (or the dataset)
/// was moved or copied. The one rule, used by `fednc-shards verify --dataset` and `fednc-train --dataset`:
///
/// 1. the folder given explicitly (`--dataset DIR`), which must hold `dataset.json`;
/// 2. else the folder partition.json records (`dataset.folder`, relative to the shards folder), when it holds
///    `dataset.json`;
/// 3. else a folder with the recorded folder's name inside the shards folder or beside it
///    (`SHARDS/NAME`, `SHARDS/../NAME`), when its `dataset.json` has the SHA-256 partition.json records
///    (so a stranger folder of the same name is never picked);
/// 4. else an error naming the places looked at and suggesting the flag.
public struct DatasetLocation: Sendable, Equatable {
    /// How the folder was found.
    public enum Source: String, Sendable, Equatable {
        /// Given explicitly.
        case explicit
        /// The path partition.json records.
        case recorded
        /// Found by name inside or beside the shards folder.
        case nearShards
    }

    /// The prepared dataset folder (standardized).
    public let folder: URL
    /// Which rule found it.
    public let source: Source

    /// Applies the rule above. `flag` is the option named in the error (`--dataset`).
    /// - Throws: `ShardError.missingFile` naming every place looked at and the flag.
    public static func resolve(shardsFolder: URL, manifest: PartitionManifest, explicit: URL?,
                               flag: String = "--dataset") throws(ShardError) -> DatasetLocation {
        let datasetJSON = PreparedDataset.datasetJSONName
        if let explicit {
            let folder = explicit.standardizedFileURL
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(datasetJSON).path) else {
                throw .missingFile(path: folder.appendingPathComponent(datasetJSON).path,
                                   hint: "\(flag) must name a prepared dataset folder (the one holding \(datasetJSON))")
            }
            return DatasetLocation(folder: folder, source: .explicit)
        }
        let recorded = RelativePath.resolve(manifest.dataset.folder, against: shardsFolder)
        if FileManager.default.fileExists(atPath: recorded.appendingPathComponent(datasetJSON).path) {
            return DatasetLocation(folder: recorded, source: .recorded)
        }
        let name = recorded.lastPathComponent
        let shards = shardsFolder.standardizedFileURL
        let candidates = [shards.appendingPathComponent(name),
                          shards.deletingLastPathComponent().appendingPathComponent(name)]
        for candidate in candidates {
            let file = candidate.appendingPathComponent(datasetJSON)
            guard FileManager.default.fileExists(atPath: file.path),
                  let digest = try? Checksums.sha256(fileAt: file),
                  digest == manifest.dataset.datasetJSONSHA256 else { continue }
            return DatasetLocation(folder: candidate.standardizedFileURL, source: .nearShards)
        }
        let looked = ([recorded] + candidates).map(\.path).joined(separator: ", ")
        throw .missingFile(path: recorded.path,
                           hint: "partition.json records the prepared dataset as \"\(manifest.dataset.folder)\" "
                               + "(relative to \(shards.path)) and no copy of it was found (looked at \(looked)); "
                               + "pass \(flag) DIR naming the prepared dataset folder")
    }
}
