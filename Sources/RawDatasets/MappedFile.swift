#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole regular file mapped read-only into memory (`mmap`): the pages are the page cache's own, so reading a
/// cached file costs no copy, no zeroed allocation and (on Linux, `MAP_POPULATE`) no page fault per page.
///
/// The file must not shrink while mapped (reading a page past its new end raises SIGBUS); raw dataset files are
/// only read.
public final class MappedFile: @unchecked Sendable {
    /// The path as given.
    public let path: String
    /// The mapping (empty for an empty file); valid while the object lives.
    private let bytes: UnsafeRawBufferPointer

    /// The file's size in bytes.
    public var count: Int { bytes.count }

    /// Calls `body` with the file's bytes, which stay mapped at least until `body` returns.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(self) { try body(bytes) }
    }

    /// Opens and maps `path`; throws `RawInputFileError` naming the path when it cannot.
    public init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw RawInputFileError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw RawInputFileError.cannotOpen(path: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        #if os(Linux)
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let address = mmap(nil, size, PROT_READ, flags, descriptor, 0), address != MAP_FAILED else {
            throw RawInputFileError.readFailed(path: path, reason: String(cString: strerror(errno)))
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let address = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: address), bytes.count) }
    }
}
