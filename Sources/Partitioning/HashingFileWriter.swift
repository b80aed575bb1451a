import Checksums
import Foundation
import Safetensors

/// Writes a file through a large buffer while computing its SHA-256, so no file is read back to be hashed.
/// The file is a temporary sibling of `destination` until `commit()` renames it (nothing half-written).
/// With no destination it only hashes (how `verify` computes the digest a shard should have).
/// Not thread-safe: one writer per task.
final class HashingFileWriter {
    /// Bytes gathered before each `write(2)`: 1 MiB, large enough that system-call overhead is negligible and
    /// small enough that hashing and writing read the chunk from cache right after it was gathered.
    static let bufferByteCount = 1 << 20

    private let output: TemporarySibling?
    private let hasher = SHA256()
    private let buffer: UnsafeMutableRawBufferPointer
    private var buffered = 0
    /// Bytes accepted so far.
    private(set) var byteCount = 0

    init(destination: URL?) throws(ShardError) {
        if let destination {
            do {
                output = try TemporarySibling(of: destination)
            } catch {
                throw .safetensors(error)
            }
        } else {
            output = nil
        }
        buffer = .allocate(byteCount: Self.bufferByteCount, alignment: 64)
    }

    deinit {
        buffer.deallocate()
        output?.discard()
    }

    /// Room left in the buffer; `reserve(_:)` returns a region of up to this many bytes to fill in place.
    var freeByteCount: Int { buffer.count - buffered }

    /// Appends `bytes`.
    func append(_ bytes: UnsafeRawBufferPointer) throws(ShardError) {
        var offset = 0
        while offset < bytes.count {
            if freeByteCount == 0 { try flush() }
            let count = min(freeByteCount, bytes.count - offset)
            UnsafeMutableRawBufferPointer(rebasing: buffer[buffered..<(buffered + count)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]))
            buffered += count
            offset += count
        }
        byteCount += bytes.count
    }

    /// Appends rows `rows` of `table` (each `rowByteCount` bytes, in the order given), hashing them in place and
    /// handing them to the kernel straight from `table` with gather writes: runs of adjacent rows become one
    /// segment, and up to `bufferByteCount` bytes (or 1,024 segments, Linux's `IOV_MAX`) go per `writev(2)`, so the bytes are
    /// still in cache when written. No staging copy; `table` (e.g. a memory map) is only read.
    func appendRows(of table: UnsafeRawBufferPointer, rowByteCount: Int, rows: [Int]) throws(ShardError) {
        guard rowByteCount > 0, let first = rows.first else { return }
        try flush()
        var batch = [UnsafeRawBufferPointer]()
        var batchBytes = 0
        var run = first..<(first + 1)
        func close(_ run: Range<Int>) throws(ShardError) {
            let segment = UnsafeRawBufferPointer(
                rebasing: table[(run.lowerBound * rowByteCount)..<(run.upperBound * rowByteCount)])
            batch.append(segment)
            batchBytes += segment.count
            if batchBytes >= Self.bufferByteCount || batch.count == 1024 { try writeSegments(&batch, &batchBytes) }
        }
        for row in rows.dropFirst() {
            if row == run.upperBound {
                run = run.lowerBound..<(row + 1)
            } else {
                try close(run)
                run = row..<(row + 1)
            }
        }
        try close(run)
        try writeSegments(&batch, &batchBytes)
        byteCount += rows.count * rowByteCount
    }

    private func writeSegments(_ batch: inout [UnsafeRawBufferPointer], _ batchBytes: inout Int) throws(ShardError) {
        guard !batch.isEmpty else { return }
        for segment in batch { hasher.update(segment) }
        do {
            try output?.file.write(segments: batch)
        } catch {
            throw .safetensors(error)
        }
        batch.removeAll(keepingCapacity: true)
        batchBytes = 0
    }

    /// Appends the bytes of `values`.
    func append<Element: BitwiseCopyable>(_ values: [Element]) throws(ShardError) {
        let outcome = values.withUnsafeBytes { raw in
            Result { () throws(ShardError) in try append(raw) }
        }
        try outcome.get()
    }

    /// Hashes and writes the buffered bytes.
    func flush() throws(ShardError) {
        guard buffered > 0 else { return }
        let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<buffered])
        hasher.update(chunk)
        do {
            try output?.file.write(chunk)
        } catch {
            throw .safetensors(error)
        }
        buffered = 0
    }

    /// Writes what is left, renames the file onto its destination and returns its SHA-256 (lowercase hex).
    func commit() throws(ShardError) -> String {
        try flush()
        do {
            try output?.commit()
        } catch {
            throw .safetensors(error)
        }
        return hasher.finalize()
    }
}
