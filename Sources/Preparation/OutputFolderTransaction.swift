import Foundation
import Safetensors

/// Writes a prepared dataset folder atomically: everything goes into a temporary sibling
/// (`.<name>.partial-<pid>`), which is renamed to the final name only after the last file is complete.
/// `discard()` (or a failure before `commit()`) removes the sibling, so nothing half-written is ever left; the
/// sibling of a killed run (its PID gone) is removed by the next transaction for the same destination.
package final class OutputFolderTransaction {
    /// The final folder.
    package let destination: URL
    /// The temporary sibling files are written into.
    package let staging: URL
    private var finished = false

    /// Refuses an existing non-empty destination; creates the staging folder.
    package init(destination: URL) throws {
        self.destination = destination.standardizedFileURL
        let parent = self.destination.deletingLastPathComponent()
        staging = parent.appendingPathComponent(".\(self.destination.lastPathComponent).partial-\(getpid())")
        let manager = FileManager.default
        try Self.checkAvailable(self.destination)
        try? manager.removeItem(at: staging)
        AbandonedPartialOutputs.removeAll(besides: self.destination)
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            PartialOutputRegistry.register(staging)
        } catch {
            throw PreparationError.cannotWrite(path: staging.path, reason: "\(error.localizedDescription)")
        }
    }

    /// Throws `PreparationError.outputExists` if `destination` is a file or a non-empty folder.
    package static func checkAvailable(_ destination: URL) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: destination.path) else { return }
        guard let contents = try? manager.contentsOfDirectory(atPath: destination.path), contents.isEmpty else {
            throw PreparationError.outputExists(path: destination.path)
        }
    }

    deinit { if !finished { discard() } }

    /// The staging path of a file called `name`.
    package func stagedFile(_ name: String) -> URL { staging.appendingPathComponent(name) }

    /// Renames the staging folder to the destination (replacing an empty destination folder).
    package func commit() throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: destination.path) { try? manager.removeItem(at: destination) }
        guard rename(staging.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            discard()
            throw PreparationError.cannotWrite(path: destination.path, reason: reason)
        }
        PartialOutputRegistry.unregister(staging)
        finished = true
    }

    /// Removes the staging folder and everything in it.
    package func discard() {
        try? FileManager.default.removeItem(at: staging)
        PartialOutputRegistry.unregister(staging)
        finished = true
    }
}
