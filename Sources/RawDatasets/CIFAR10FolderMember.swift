import Checksums
import Dispatch
import Foundation

/// One file of an unpacked `cifar-10-batches-bin/` folder with its SHA-256 (for dataset.json): a batch is mapped
/// (`MappedFile`) and validated (size and labels), `batches.meta.txt` is read into memory.
struct CIFAR10FolderMember: Sendable {
    /// The batch, nil for `batches.meta.txt`.
    let batch: CIFAR10Batch?
    /// The contents of `batches.meta.txt` (empty for a batch).
    let classListBytes: [UInt8]
    let digest: RawInputDigest

    /// Loads `names` (files in `root`) concurrently, at most one per core; the results keep the order of `names`,
    /// each the member or the error a sequential read of that file alone would throw (missing file, unreadable,
    /// wrong size, bad label), so callers can report the first failure in file order.
    /// `batches.meta.txt` larger than this (bytes) is refused before it is read (the published one is 61 bytes).
    static let maximumClassListSize = 1 << 16

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
        guard isBatch else {
            let file = try RawInputFile(path: path)
            guard file.size <= maximumClassListSize else {
                throw CIFAR10Error.badClassList(file: path, detail: "\(file.size) bytes is far more than 10 class names")
            }
            let bytes = try file.readAll()
            let digest = RawInputDigest(name: name, byteCount: bytes.count, sha256: Checksums.sha256(of: bytes))
            return CIFAR10FolderMember(batch: nil, classListBytes: bytes, digest: digest)
        }
        let input = try RawInputFile(path: path)
        try CIFAR10Batch.checkSize(input.size, origin: path, allowShortBatches: allowShortBatches)
        let file = try input.mappedWhole()
        let batch = try CIFAR10Batch(name: name, origin: path, mapped: file, allowShortBatches: allowShortBatches)
        let digest = RawInputDigest(name: name, byteCount: file.count, sha256: file.withUnsafeBytes { Checksums.sha256(of: $0) })
        return CIFAR10FolderMember(batch: batch, classListBytes: [], digest: digest)
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
