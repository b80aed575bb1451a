import Foundation

/// Writes a figure file without ever deleting what the command did not make: the bytes go to a temporary name
/// beside the destination and are renamed over it. An existing destination is replaced only when it is a regular
/// file that is already a PNG (a figure from an earlier run); a folder, a link, a device, a FIFO or any other
/// file is refused with an error that names it.
enum FigureOutput {
    /// PNG's eight signature bytes.
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Writes `bytes` (a PNG) to `path` as described above.
    static func write(_ bytes: [UInt8], to path: String) throws {
        var status = stat()
        if lstat(path, &status) == 0 {
            let kind = status.st_mode & S_IFMT
            guard kind == S_IFREG else {
                let what = kind == S_IFDIR ? "a folder" : kind == S_IFLNK ? "a symbolic link" : "not a regular file"
                throw ShardCommandError.file(
                    path: path, reason: "is \(what); --png takes the path of a PNG file to write (nothing was changed)")
            }
            guard try existingFileIsPNG(path) else {
                throw ShardCommandError.file(
                    path: path, reason: "exists and is not a PNG; --png replaces only an earlier figure, so remove "
                        + "the file yourself or choose another name (nothing was changed)")
            }
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try Data(bytes).write(to: temporary, options: .withoutOverwriting)
            // rename(2) replaces a regular file atomically and fails on a folder: never a recursive removal.
            guard rename(temporary.path, url.path) == 0 else {
                throw ShardCommandError.file(path: path, reason: "cannot be written: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    private static func existingFileIsPNG(_ path: String) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ShardCommandError.file(path: path, reason: "exists but cannot be read; choose another name")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: pngSignature.count)) ?? Data()
        return [UInt8](head) == pngSignature
    }
}
