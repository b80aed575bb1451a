#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file, or a range of one, mapped read-only into memory (`mmap`): the pages are the page cache's own,
/// so reading a cached file costs no copy and no zeroed allocation. Whole files are mapped with `MAP_POPULATE` on
/// Linux (no page fault per page); ranges (`RawInputFile.mapped`) are faulted in as read.
///
/// The file must not shrink while mapped (reading a page past its new end raises SIGBUS); raw dataset files are
/// only read.
public final class MappedFile: @unchecked Sendable {
    /// The path as given.
    public let path: String
    /// The mapped bytes (empty for an empty range); valid while the object lives.
    private let bytes: UnsafeRawBufferPointer
    /// The whole mapping (page-aligned start), for `munmap`.
    private let mapping: UnsafeMutableRawBufferPointer?

    /// The number of bytes mapped: the file's size, or the range's.
    public var count: Int { bytes.count }

    /// Calls `body` with the mapped bytes, which stay mapped at least until `body` returns.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(self) { try body(bytes) }
    }

    /// Opens and maps the whole of `path` (a regular file: see `RawInputFile.init(path:)`); throws
    /// `RawInputFileError` naming the path when it cannot.
    public convenience init(path: String) throws {
        let (descriptor, size) = try RawInputFile.openRegularFile(path)
        defer { close(descriptor) }
        try self.init(descriptor: descriptor, path: path, offset: 0, count: size, populate: true)
    }

    /// Maps bytes `offset ..< offset + count` of the open `descriptor` (the caller checked the range).
    init(descriptor: Int32, path: String, offset: Int, count: Int, populate: Bool) throws {
        self.path = path
        guard count > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            mapping = nil
            return
        }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let alignedOffset = offset / page * page
        let length = count + (offset - alignedOffset)
        var flags = MAP_PRIVATE
        #if os(Linux)
        if populate { flags |= MAP_POPULATE }
        #endif
        guard let address = mmap(nil, length, PROT_READ, flags, descriptor, off_t(alignedOffset)), address != MAP_FAILED else {
            throw RawInputFileError.readFailed(path: path, reason: String(cString: strerror(errno)))
        }
        mapping = UnsafeMutableRawBufferPointer(start: address, count: length)
        bytes = UnsafeRawBufferPointer(start: address + (offset - alignedOffset), count: count)
    }

    deinit {
        if let mapping { munmap(mapping.baseAddress, mapping.count) }
    }
}
