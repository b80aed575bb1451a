#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads the small JSON files of prepared datasets and shards folders (`dataset.json`, `partition.json`):
/// opened without blocking, only a regular file of at most `limit` bytes is read, so a FIFO, a device or a huge
/// file named like a manifest is refused at once.
enum ShardInputFile {
    /// Why a file could not be read, as a phrase ("not a regular file", "No such file or directory").
    struct Failure: Error {
        let reason: String
    }

    /// The whole file at `url`, at most `limit` bytes.
    static func contents(of url: URL, limit: Int) throws(Failure) -> Data {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw Failure(reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw Failure(reason: "not a regular file")
        }
        let size = Int(status.st_size)
        guard size <= limit else { throw Failure(reason: "\(size) bytes, more than the \(limit) a manifest may have") }
        var data = Data(count: size)
        var filled = 0
        let failure: Failure? = data.withUnsafeMutableBytes { buffer in
            while filled < size {
                let got = pread(descriptor, buffer.baseAddress! + filled, size - filled, off_t(filled))
                if got < 0 {
                    if errno == EINTR { continue }
                    return Failure(reason: String(cString: strerror(errno)))
                }
                if got == 0 { return Failure(reason: "the file shrank while being read") }
                filled += got
            }
            return nil
        }
        if let failure { throw failure }
        return data
    }
}
