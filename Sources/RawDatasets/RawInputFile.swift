#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors opening or reading a raw input file.
public enum RawInputFileError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case readFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "\(path): cannot open (\(reason)); check the path and its permissions"
        case let .readFailed(path, reason):
            return "\(path): read failed (\(reason))"
        }
    }
}

/// An open, read-only file with positional reads (`pread`), shareable between readers of its ranges.
public final class RawInputFile: @unchecked Sendable {
    /// The path as given.
    public let path: String
    /// Size in bytes at opening time.
    public let size: Int
    private let descriptor: Int32

    /// Opens `path` for reading. Every raw-input reader opens through here, so all of them refuse what is not a
    /// regular file (a FIFO, device, socket or folder) at once with `cannotOpen(..., "not a regular file")`:
    /// the open itself is non-blocking, so a FIFO without a writer cannot make a converter wait forever.
    public init(path: String) throws {
        self.path = path
        let (fd, size) = try Self.openRegularFile(path)
        descriptor = fd
        self.size = size
    }

    /// Opens `path` read-only without blocking (`O_NONBLOCK`), and returns the descriptor and size of a regular
    /// file; anything else is closed and refused. (`O_NONBLOCK` has no effect on reads of a regular file.)
    static func openRegularFile(_ path: String) throws -> (descriptor: Int32, size: Int) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw RawInputFileError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw RawInputFileError.cannotOpen(path: path, reason: "not a regular file")
        }
        return (fd, Int(info.st_size))
    }

    /// The whole contents of the regular file at `path`, or nil when it cannot be opened or read (a folder, a
    /// FIFO or a device counts as unreadable).
    public static func contents(atPath path: String) -> [UInt8]? {
        try? RawInputFile(path: path).readAll()
    }

    deinit { close(descriptor) }

    /// Reads up to `buffer.count` bytes at `offset`; returns the count (0 at the end of the file).
    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            let got = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if got >= 0 { return got }
            if errno == EINTR { continue }
            throw RawInputFileError.readFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Reads exactly `count` bytes at `offset`, or throws `TruncatedInputError` naming `context`.
    public func readBytes(at offset: Int, count: Int, context: String) throws -> [UInt8] {
        var range = FileRangeSource(file: self, offset: offset, length: count)
        return try range.readBytes(count, context: context)
    }

    /// Bytes `offset ..< offset + count` of the file, memory-mapped read-only (`MappedFile`: the page cache's
    /// pages, nothing copied). Throws `TruncatedInputError` naming `context` if the range passes the end.
    public func mapped(offset: Int, count: Int, context: String) throws -> MappedFile {
        guard offset >= 0, count >= 0, offset + count <= size else { throw TruncatedInputError(origin: path, context: context) }
        return try MappedFile(descriptor: descriptor, path: path, offset: offset, count: count, populate: false)
    }

    /// The whole file, memory-mapped read-only and pre-faulted (`MAP_POPULATE`): for files read front to back.
    public func mappedWhole() throws -> MappedFile {
        try MappedFile(descriptor: descriptor, path: path, offset: 0, count: size, populate: true)
    }

    /// Reads the whole file into memory.
    public func readAll() throws -> [UInt8] {
        try readBytes(at: 0, count: size, context: "the whole file")
    }
}

/// A `ByteSource` over `length` bytes of a file starting at `offset` (reads stop at the range's end).
public struct FileRangeSource: ByteSource {
    public let file: RawInputFile
    public let origin: String
    private var position: Int
    private let end: Int

    public init(file: RawInputFile, offset: Int = 0, length: Int? = nil, origin: String? = nil) {
        self.file = file
        self.origin = origin ?? file.path
        position = offset
        end = offset + (length ?? max(0, file.size - offset))
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let wanted = min(buffer.count, end - position)
        guard wanted > 0 else { return 0 }
        let got = try file.read(at: position, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]))
        position += got
        return got
    }
}
