import Checksums
import Foundation

/// Writes a sample dataset into a hidden sibling folder and moves it into place only when complete, so an
/// interrupted run never leaves a half-written dataset under the final name.
struct VOCSampleFolder {
    /// The final location.
    let destination: URL
    /// The folder being filled.
    let staging: URL

    init(destination: URL) throws(VOCSampleWriteError) {
        let manager = FileManager.default
        if manager.fileExists(atPath: destination.path) { throw .destinationExists(path: destination.path) }
        let parent = destination.deletingLastPathComponent()
        staging = parent.appendingPathComponent(".\(destination.lastPathComponent).partial-\(getpid())")
        self.destination = destination
        do {
            try? manager.removeItem(at: staging)
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            PartialOutputRegistry.register(staging)
        } catch {
            throw .cannotWrite(path: staging.path, reason: FileSystemErrorText.reason(error))
        }
    }

    /// Creates folders (relative to the staging folder) before threads write into them.
    func makeFolders(_ relativePaths: [String]) throws(VOCSampleWriteError) {
        for path in relativePaths {
            let url = staging.appendingPathComponent(path)
            do {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            } catch {
                throw .cannotWrite(path: url.path, reason: FileSystemErrorText.reason(error))
            }
        }
    }

    /// Writes `bytes` to `relativePath` inside the staging folder, whose folder must exist (`makeFolders`).
    func write(_ bytes: [UInt8], to relativePath: String) throws(VOCSampleWriteError) {
        let url = staging.appendingPathComponent(relativePath)
        do {
            try Data(bytes).write(to: url)
        } catch {
            throw .cannotWrite(path: url.path, reason: FileSystemErrorText.reason(error))
        }
    }

    /// Writes UTF-8 text.
    func write(text: String, to relativePath: String) throws(VOCSampleWriteError) {
        try write(Array(text.utf8), to: relativePath)
    }

    /// Moves the finished folder to `destination`.
    func commit() throws(VOCSampleWriteError) {
        do {
            try FileManager.default.moveItem(at: staging, to: destination)
            PartialOutputRegistry.unregister(staging)
        } catch {
            throw .cannotWrite(path: destination.path, reason: FileSystemErrorText.reason(error))
        }
    }

    /// Deletes the staging folder (after a failure).
    func discard() {
        try? FileManager.default.removeItem(at: staging)
        PartialOutputRegistry.unregister(staging)
    }
}
