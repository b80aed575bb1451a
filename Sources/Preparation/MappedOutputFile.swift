#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RawDatasets

/// A new file of a fixed size whose bytes are written in place: on Linux the file's blocks are reserved first
/// (`posix_fallocate`, so running out of space is an error here, never a fault later) and the file is mapped shared
/// read-write; elsewhere the bytes live in anonymous memory and are written with `pwrite` by `finish()`.
///
/// Memory: the mapped pages belong to the page cache (the kernel writes them back and can reclaim them), but they
/// count in the process's resident size while mapped.
final class MappedOutputFile {
    let path: String
    /// All `size` bytes of the file, zero-filled at start.
    let bytes: UnsafeMutableRawBufferPointer
    private let descriptor: Int32
    private let isFileMapping: Bool
    private var isOpen = true

    /// Creates (truncating) `path` with `size` bytes. Throws `PreparationError.cannotWrite` naming the file.
    init(path: String, size: Int) throws {
        precondition(size > 0, "a mapped output file needs at least one byte")
        self.path = path
        descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw PreparationError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        #if os(Linux)
        let mapping: UnsafeMutableRawPointer
        do {
            mapping = try SharedFileMapping.reserveAndMap(descriptor: descriptor, size: size)
        } catch {
            close(descriptor)
            throw PreparationError.cannotWrite(path: path, reason: error.reason)
        }
        isFileMapping = true
        #else
        guard let mapping = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mapping != MAP_FAILED else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw PreparationError.cannotWrite(path: path, reason: "cannot map \(size) bytes (\(reason))")
        }
        isFileMapping = false
        #endif
        bytes = UnsafeMutableRawBufferPointer(start: mapping, count: size)
    }

    deinit { release() }

    /// Makes the bytes the file's content (writing them out unless they are the file's own mapped pages) and
    /// closes it.
    func finish() throws {
        defer { release() }
        guard !isFileMapping else { return }
        var done = 0
        while done < bytes.count {
            let result = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(done))
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { throw PreparationError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            done += result
        }
    }

    private func release() {
        guard isOpen else { return }
        isOpen = false
        munmap(bytes.baseAddress, bytes.count)
        close(descriptor)
    }
}
