#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Checksums
import Foundation
import Safetensors

/// An output file or folder that appears at its destination only when complete.
///
/// The content is written to a hidden temporary sibling (`.<name>.partial-<pid>-<random>`, same folder, so the
/// final rename is atomic); `commit()` renames it onto the destination, `discard()` (or deinit without commit)
/// removes it, and the next `AtomicOutput` for the same destination removes one whose process was killed. An
/// existing destination is never replaced or removed: it is refused when the output is created and again on commit.
///
/// ```swift
/// try AtomicOutput.withFolder(at: outputURL) { folder in
///     try writeSplits(into: folder)
/// }
/// ```
public final class AtomicOutput {
    /// File or folder.
    public enum Kind: Sendable { case file, folder }

    /// Where the output goes on `commit()`.
    public let destination: URL
    /// Where to write now: an empty folder (`.folder`) or a path with no file yet (`.file`).
    public let temporaryURL: URL
    /// `.file` or `.folder`.
    public let kind: Kind
    private var isPending = true

    /// Prepares a temporary sibling of `destination`. Throws `destinationExists` if the destination exists
    /// (checked again on commit).
    public init(_ kind: Kind, at destination: URL) throws(AtomicOutputError) {
        let destination = destination.standardizedFileURL
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: destination.path) {
            throw .destinationExists(path: destination.path)
        }
        let parent = destination.deletingLastPathComponent()
        AbandonedPartialOutputs.removeAll(besides: destination)
        let temporary = parent.appendingPathComponent(AbandonedPartialOutputs.temporaryName(for: destination))
        do {
            switch kind {
            case .folder: try fileManager.createDirectory(at: temporary, withIntermediateDirectories: false)
            case .file: guard fileManager.isWritableFile(atPath: parent.path) else {
                throw AtomicOutputError.cannotCreate(path: destination.path, reason: "parent folder is not writable")
            }
            }
        } catch let error as AtomicOutputError {
            throw error
        } catch {
            throw .cannotCreate(path: destination.path, reason: FileSystemErrorText.reason(error))
        }
        PartialOutputRegistry.register(temporary)
        self.kind = kind
        self.destination = destination
        self.temporaryURL = temporary
    }

    deinit { discard() }

    /// Moves the finished output onto the destination; refuses (and removes the temporary output) if something
    /// appeared at the destination meanwhile, leaving that untouched. After a failure the temporary output is removed.
    public func commit() throws(AtomicOutputError) {
        precondition(isPending, "AtomicOutput committed or discarded already")
        if FileManager.default.fileExists(atPath: destination.path) {
            discard()
            throw .destinationExists(path: destination.path)
        }
        guard rename(temporaryURL.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            discard()
            throw .cannotCommit(path: destination.path, reason: reason)
        }
        isPending = false
        PartialOutputRegistry.unregister(temporaryURL)
    }

    /// Removes the temporary output. Safe to call more than once; does nothing after `commit()`.
    public func discard() {
        guard isPending else { return }
        isPending = false
        try? FileManager.default.removeItem(at: temporaryURL)
        PartialOutputRegistry.unregister(temporaryURL)
    }

    /// Runs `body` with a temporary folder, then commits it; on a thrown error removes it and rethrows.
    public static func withFolder<Result>(at destination: URL, _ body: (URL) throws -> Result) throws -> Result {
        try with(.folder, at: destination, body)
    }

    /// Runs `body` with a temporary file path, then commits it; on a thrown error removes it and rethrows.
    public static func withFile<Result>(at destination: URL, _ body: (URL) throws -> Result) throws -> Result {
        try with(.file, at: destination, body)
    }

    private static func with<Result>(_ kind: Kind, at destination: URL,
                                     _ body: (URL) throws -> Result) throws -> Result {
        let output = try AtomicOutput(kind, at: destination)
        do {
            let result = try body(output.temporaryURL)
            try output.commit()
            return result
        } catch {
            output.discard()
            throw error
        }
    }

    /// Async form of `withFolder(at:_:)`.
    public static func withFolder<Result>(at destination: URL,
                                          _ body: (URL) async throws -> Result) async throws -> Result {
        let output = try AtomicOutput(.folder, at: destination)
        do {
            let result = try await body(output.temporaryURL)
            try output.commit()
            return result
        } catch {
            output.discard()
            throw error
        }
    }
}
