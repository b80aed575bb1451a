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
