import Checksums
import RawDatasets

/// SHA-256 and size of every raw image a split read, filled concurrently by the producers (each record index is
/// written by exactly one worker, so no lock is needed), summarised into one `RawInputDigest` afterwards.
final class RawImageDigests: @unchecked Sendable {
    // Raw buffers, not arrays: concurrent writes to distinct elements of an array stored in a class would be
    // overlapping accesses to the property.
    private let sha256: UnsafeMutableBufferPointer<String>
    private let byteCounts: UnsafeMutableBufferPointer<Int>
    /// Names relative to the dataset root, in record order.
    let names: [String]

    init(names: [String]) {
        self.names = names
        sha256 = .allocate(capacity: names.count)
        sha256.initialize(repeating: "")
        byteCounts = .allocate(capacity: names.count)
        byteCounts.initialize(repeating: -1)
    }

    deinit {
        sha256.deinitialize()
        sha256.deallocate()
        byteCounts.deallocate()
    }

    /// Stores record `index`'s digest (called by one worker per index).
    func record(index: Int, sha256 digest: String, byteCount: Int) {
        sha256[index] = digest
        byteCounts[index] = byteCount
    }

    /// One entry standing for all the images read by `tables` (in order): `name` is e.g. `"JPEGImages (10 files)"`,
    /// `byteCount` their total size, and `sha256` the SHA-256 of the manifest text with one line
    /// `<sha256> <bytes> <relative name>\n` per image read (records that could not be read are left out).
    static func summary(of tables: [RawImageDigests], label: String) -> RawInputDigest {
        let manifest = SHA256()
        var files = 0
        var total = 0
        for table in tables {
            for index in table.names.indices where table.byteCounts[index] >= 0 {
                manifest.update(utf8: "\(table.sha256[index]) \(table.byteCounts[index]) \(table.names[index])\n")
                files += 1
                total += table.byteCounts[index]
            }
        }
        return RawInputDigest(name: "\(label) (\(files) files; sha256 of the per-file list)", byteCount: total,
                              sha256: manifest.finalize())
    }
}
