#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Finds and removes what killed runs left behind: temporary siblings named `.<name>.partial-<pid>` or
/// `.<name>.partial-<pid>-<random>` (how the converters, the shard writer and `AtomicOutput` name their staging
/// output) whose process `<pid>` no longer exists.
///
/// A process that is killed (SIGKILL, power loss) cannot remove its temporary output; the next run for the same
/// destination does. A sibling whose process is still alive - another run writing the same destination right now,
/// or an unrelated process that reuses the PID - is left alone, and so is any name not in that form.
package enum AbandonedPartialOutputs {
    /// The name prefix of `destination`'s temporary siblings: `.<name>.partial-`.
    package static func prefix(of destination: URL) -> String { ".\(destination.lastPathComponent).partial-" }

    /// The temporary sibling name for the current process: `.<name>.partial-<pid>-<8 hex digits>`.
    package static func temporaryName(for destination: URL) -> String {
        prefix(of: destination) + "\(getpid())-" + UUID().uuidString.prefix(8).lowercased()
    }

    /// Removes `destination`'s abandoned temporary siblings; returns the names removed (sorted). Failures to
    /// remove are ignored: the next run tries again.
    @discardableResult
    package static func removeAll(besides destination: URL) -> [String] {
        let parent = destination.deletingLastPathComponent()
        let prefix = prefix(of: destination)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        var removed = [String]()
        for name in names.sorted() where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let pid = Int32(rest.prefix { $0 != "-" }), pid > 0, !isAlive(pid) else { continue }
            if (try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))) != nil {
                removed.append(name)
            }
        }
        return removed
    }

    /// Whether a process with this PID exists (`kill(pid, 0)`; EPERM means it exists but is not ours).
    package static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}

extension AbandonedPartialOutputs {
    /// One stale temporary output found by `stale(in:)`.
    package struct Leftover: Sendable, Equatable {
        /// The entry's name, such as `.prepared.partial-4242`.
        package let name: String
        /// The output it was staging (`prepared`).
        package let destinationName: String
        /// The PID of the process that wrote it (no longer running).
        package let pid: Int32
    }

    /// Every temporary output in `folder` (`.<name>.partial-<pid>` or `.<name>.partial-<pid>-<8 hex>`) whose
    /// process is gone, sorted by name. Entries of running processes and names of any other form are not listed.
    package static func stale(in folder: URL) -> [Leftover] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name -> Leftover? in
            guard name.hasPrefix("."), let marker = name.range(of: ".partial-", options: .backwards) else { return nil }
            let destination = String(name[name.index(after: name.startIndex)..<marker.lowerBound])
            let parts = name[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
            guard !destination.isEmpty, (1...2).contains(parts.count), let pid = Int32(parts[0]), pid > 0,
                  parts[0].allSatisfy(\.isASCII),
                  parts.count == 1 || (parts[1].count == 8 && parts[1].allSatisfy(\.isHexDigit)),
                  !isAlive(pid) else { return nil }
            return Leftover(name: name, destinationName: destination, pid: pid)
        }
    }
}

/// The temporary outputs this process is writing right now, so an interrupted command (SIGINT, SIGTERM) can
/// remove them before it exits (`CommandSupport.InterruptCleanup`). Staging writers register a folder or file
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
                if (try? FileManager.default.removeItem(atPath: path)) != nil || !FileManager.default.fileExists(atPath: path) {
                    removed.append(path)
                    break
                }
                usleep(20_000)
            }
        }
        lock.withLock { paths.subtract(removed) }
        return removed
    }
}
