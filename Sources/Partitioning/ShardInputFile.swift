#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Checksums
import Foundation

/// Reads the small JSON files of prepared datasets, shards folders and run folders (`dataset.json`, `partition.json`,
/// `run.json`, checkpoint `state.json`):
/// opened through `RegularFileOpening`, only a regular file of at most `limit` bytes is read, so a FIFO, a device or a huge
/// file named like a manifest is refused at once.
package enum ShardInputFile {
    /// Why a file could not be read, as a phrase ("not a regular file", "No such file or directory").
    package struct Failure: Error {
        package let reason: String
    }

    /// The whole file at `url`, at most `limit` bytes.
    package static func contents(of url: URL, limit: Int) throws(Failure) -> Data {
        let descriptor: Int32, size: Int
        do {
            (descriptor, size) = try RegularFileOpening.openReadOnly(url.path)
        } catch {
            throw Failure(reason: error.reason)
        }
        defer { close(descriptor) }
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
