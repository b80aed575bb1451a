#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The temporary outputs this process is writing right now, so an interrupted command (SIGINT, SIGTERM) can
/// remove them before it exits (`CommandSupport.InterruptCleanup`). In `Checksums`, the lowest module every
/// data tool links that writes files (the sample writers included). Staging writers register a folder or file
/// when they create it and unregister it when they commit or discard it.
package enum PartialOutputRegistry {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths = Set<String>()

    /// Records `url` as this process's unfinished output.
    package static func register(_ url: URL) {
        lock.withLock { _ = paths.insert(url.standardizedFileURL.path) }
    }

    /// Forgets `url` (committed or removed).
    package static func unregister(_ url: URL) {
        lock.withLock { _ = paths.remove(url.standardizedFileURL.path) }
    }

    /// Removes every registered output (a few tries each, since worker threads may still be adding files);
    /// returns the paths removed.
    @discardableResult
    package static func removeAll() -> [String] {
        let registered = lock.withLock { paths.sorted() }
        var removed = [String]()
        for path in registered {
            for _ in 0..<5 {
                guard FileManager.default.fileExists(atPath: path) else { break }  // committed meanwhile
                if (try? FileManager.default.removeItem(atPath: path)) != nil {
                    removed.append(path)
                    break
                }
                usleep(20_000)
            }
        }
        lock.withLock { paths.removeAll() }
        return removed
    }
}
