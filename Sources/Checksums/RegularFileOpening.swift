#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way the data tools open an input file: read-only and non-blocking (`O_NONBLOCK`, so a FIFO without a
/// writer cannot block the open), then only a regular file is kept; a FIFO, device, socket or folder is closed and
/// refused ("not a regular file"). `O_NONBLOCK` has no effect on a regular file's reads. Used by `Checksums`,
/// `RawInputFile` (every raw-dataset reader) and the partitioner's JSON readers; the safetensors reader applies
/// the same rule itself (its module links nothing).
package enum RegularFileOpening {
    /// Why a file cannot be opened: the system's words, or "not a regular file".
    package struct Failure: Error, Sendable {
        package let reason: String
    }

    /// The open descriptor (the caller closes it) and the size in bytes of the regular file at `path`.
    package static func openReadOnly(_ path: String) throws(Failure) -> (descriptor: Int32, size: Int) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw Failure(reason: reason)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw Failure(reason: "not a regular file")
        }
        return (descriptor, Int(status.st_size))
    }
}
