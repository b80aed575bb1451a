#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps the first bytes of an open file shared and read-write, after making sure the file holds them: on Linux
/// its blocks are reserved first (`posix_fallocate`), so a full disk is an error here and never a fault when a
/// page is written; elsewhere the file is only sized (`ftruncate`).
package enum SharedFileMapping {
    /// Why reserving or mapping failed, in words for the caller's error (which names the file).
    package struct Failure: Error {
        package let reason: String
    }

    /// Reserves `size` (> 0) bytes of `descriptor` (opened read-write) and maps them; unmap with `munmap`.
    package static func reserveAndMap(descriptor: Int32, size: Int) throws(Failure) -> UnsafeMutableRawPointer {
        #if os(Linux)
        let status = posix_fallocate(descriptor, 0, off_t(size))
        guard status == 0 else { throw Failure(reason: "cannot reserve \(size) bytes (\(String(cString: strerror(status))))") }
        #else
        guard ftruncate(descriptor, off_t(size)) == 0 else {
            throw Failure(reason: "cannot size the file to \(size) bytes (\(String(cString: strerror(errno))))")
        }
        #endif
        guard let mapping = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0), mapping != MAP_FAILED else {
            throw Failure(reason: "cannot map \(size) bytes (\(String(cString: strerror(errno))))")
        }
        return mapping
    }
}
