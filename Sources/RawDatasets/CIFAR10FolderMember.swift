import Checksums
import Dispatch
import Foundation

/// One file of an unpacked `cifar-10-batches-bin/` folder, read into memory with its SHA-256 (for dataset.json)
/// and, for a batch, validated (size and labels).
struct CIFAR10FolderMember: Sendable {
    /// The file's bytes (for a batch, the same bytes `batch` holds).
    let bytes: [UInt8]
    /// The batch, nil for `batches.meta.txt`.
    let batch: CIFAR10Batch?
    let digest: RawInputDigest

    /// Loads `names` (files in `root`) concurrently, at most one per core; the results keep the order of `names`,
    /// each the member or the error a sequential read of that file alone would throw (missing file, unreadable,
    /// wrong size, bad label), so callers can report the first failure in file order.
    static func loadAll(names: [String], root: String, allowShortBatches: Bool) -> [Result<CIFAR10FolderMember, any Error>] {
        let results = ResultSlots<CIFAR10FolderMember>(count: names.count)
        DispatchQueue.concurrentPerform(iterations: names.count) { index in
            results[index] = Result {
                try load(name: names[index], root: root, isBatch: CIFAR10Archive.batchNames.contains(names[index]),
                         allowShortBatches: allowShortBatches)
            }
        }
        return results.values
    }

    private static func load(name: String, root: String, isBatch: Bool, allowShortBatches: Bool) throws -> CIFAR10FolderMember {
        let path = (root as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CIFAR10Error.missingMember(origin: root, name: name)
        }
        let bytes = try RawInputFile(path: path).readAll()
        let batch = isBatch ? try CIFAR10Batch(name: name, origin: path, bytes: bytes, allowShortBatches: allowShortBatches) : nil
        let digest = RawInputDigest(name: name, byteCount: bytes.count, sha256: Checksums.sha256(of: bytes))
        return CIFAR10FolderMember(bytes: bytes, batch: batch, digest: digest)
    }
}

/// Fixed slots filled by concurrent workers, each index written by exactly one worker before `values` is read
/// (hence `@unchecked Sendable`; the storage is a raw allocation, so workers never share an array's buffer).
private final class ResultSlots<Value>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Result<Value, any Error>?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    subscript(index: Int) -> Result<Value, any Error> {
        get { slots[index]! }
        set { slots[index] = newValue }
    }

    /// All slots, in index order (every one must have been filled).
    var values: [Result<Value, any Error>] { (0..<count).map { slots[$0]! } }
}
