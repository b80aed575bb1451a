#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A nameless temporary file that collects one tensor's rows through an in-memory buffer, so appends of a few
/// hundred bytes cost a `memcpy`, not a system call.
///
/// The file is created next to the destination (same file system, so the final copy stays in the kernel) and
/// unlinked at once: only the open descriptor keeps it alive, so it disappears when closed, and even when the
/// process is killed.
final class SpillFile {
    /// Bytes buffered before a `write(2)`: 4 MiB.
    static let bufferByteCount = 4 << 20

    let file: PosixFile
    private let buffer: UnsafeMutableRawBufferPointer
    private var buffered = 0
    private var isOpen = true
    /// Bytes appended so far (written plus buffered).
    private(set) var byteCount = 0

    init(besides destination: URL, purpose: String) throws(SafetensorsError) {
        file = try PosixFile.makeUniqueSibling(of: destination, purpose: purpose)
        unlink(file.path)
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bufferByteCount, alignment: 64)
    }

    deinit {
        remove()
        buffer.deallocate()
    }

    /// Appends `bytes`; large appends bypass the buffer.
    func append(_ bytes: UnsafeRawBufferPointer) throws(SafetensorsError) {
        precondition(isOpen, "SpillFile.append after remove")
        if buffered + bytes.count > buffer.count { try flush() }
        if bytes.count >= buffer.count {
            try file.write(bytes)
        } else if bytes.count > 0 {
            UnsafeMutableRawBufferPointer(rebasing: buffer[buffered..<(buffered + bytes.count)]).copyMemory(from: bytes)
            buffered += bytes.count
        }
        byteCount += bytes.count
    }

    /// Writes out the buffered bytes.
    func flush() throws(SafetensorsError) {
        guard buffered > 0 else { return }
        try file.write(UnsafeRawBufferPointer(rebasing: buffer[0..<buffered]))
        buffered = 0
    }

    /// Closes the descriptor, which frees the (already unlinked) file. Safe to call more than once.
    func remove() {
        guard isOpen else { return }
        isOpen = false
        close(file.descriptor)
    }
}
