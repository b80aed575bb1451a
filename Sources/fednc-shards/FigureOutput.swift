#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Partitioning
import Safetensors

/// Writes a figure file (`--png`, `--svg`) without ever deleting or overwriting what `fednc-shards` did not write:
/// the bytes go to a temporary sibling (`.NAME.partial-PID-XXXXXXXX`, as `AtomicOutput` names them) and are renamed
/// over the destination. An existing destination is
/// replaced only when it is a regular file that starts like a figure of the same kind written here
/// (`HistogramFigure.isOwnPNG` / `isOwnSVG`: a PNG `tEXt` marker, an SVG comment); any other file, a folder, a
/// link, a FIFO, a device or a socket is refused with an error that names it, and nothing is changed.
enum FigureOutput {
    /// The figure formats, by their command-line flag.
    enum Kind: String {
        case png, svg

        var flag: String { "--\(rawValue)" }
        /// "a PNG", "an SVG".
        var withArticle: String { self == .svg ? "an SVG" : "a PNG" }

        func isOwnFigure(head: [UInt8]) -> Bool {
            switch self {
            case .png: HistogramFigure.isOwnPNG(head: head)
            case .svg: HistogramFigure.isOwnSVG(head: head)
            }
        }
    }

    /// Throws unless `path` is free or holds a `kind` figure written here.
    static func checkDestination(_ path: String, kind: Kind) throws(ShardCommandError) {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            guard errno == ENOENT else { throw .file(path: path, reason: "cannot be used for \(kind.flag): \(Self.lastError)") }
            return
        }
        let type = status.st_mode & S_IFMT
        guard type == S_IFREG else {
            let what = switch type {
            case S_IFDIR: "a folder"
            case S_IFLNK: "a symbolic link"
            case S_IFIFO: "a FIFO"
            case S_IFSOCK: "a socket"
            default: "a device"
            }
            throw .file(path: path, reason: "is \(what); \(kind.flag) takes the path of \(kind.withArticle) file to write "
                + "(nothing was changed)")
        }
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else { throw .file(path: path, reason: "exists but cannot be read (\(Self.lastError)); choose another name") }
        defer { close(descriptor) }
        var head = [UInt8](repeating: 0, count: HistogramFigure.headLength)
        let count = head.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count >= 0, kind.isOwnFigure(head: Array(head.prefix(count))) else {
            throw .file(path: path, reason: "exists and is not \(kind.withArticle) figure written by fednc-shards histogram; "
                + "\(kind.flag) replaces only such a figure, so remove the file yourself or choose another name "
                + "(nothing was changed)")
        }
    }

    /// Writes `bytes` to `path` as described above.
    static func write(_ bytes: [UInt8], to path: String, kind: Kind) throws(ShardCommandError) {
        try checkDestination(path, kind: kind)
        let url = URL(fileURLWithPath: path)
        // The project's temporary-sibling naming, so an abandoned one (a killed run) is found and removed.
        AbandonedPartialOutputs.removeAll(besides: url)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(AbandonedPartialOutputs.temporaryName(for: url)).path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else {
            throw .file(path: path, reason: "cannot be written (\(Self.lastError) creating \(temporary)); check that "
                + "the folder exists and is writable")
        }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = Self.lastError
                    return
                }
                offset += written
            }
        }
        if close(descriptor) != 0, failure == nil { failure = Self.lastError }
        // rename(2) replaces a regular file atomically and fails on a folder: never a recursive removal.
        if failure == nil, rename(temporary, path) != 0 { failure = Self.lastError }
        if let failure {
            unlink(temporary)
            throw .file(path: path, reason: "cannot be written: \(failure) (nothing was changed)")
        }
    }

    private static var lastError: String { String(cString: strerror(errno)) }
}
