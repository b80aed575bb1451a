#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Safetensors

/// An output file or folder that appears at its destination only when complete.
///
/// The content is written to a hidden temporary sibling (`.<name>.partial-<pid>-<random>`, same folder, so the
/// final rename is atomic); `commit()` renames it onto the destination, `discard()` (or deinit without commit)
/// removes it, and the next `AtomicOutput` for the same destination removes one whose process was killed. Replacing an existing destination moves the old one aside first and deletes it after the rename.
///
/// ```swift
/// try AtomicOutput.withFolder(at: outputURL, replacingExisting: force) { folder in
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
    private let replacingExisting: Bool
    private var isPending = true

    /// Prepares a temporary sibling of `destination`. Throws `destinationExists` if the destination exists and
    /// `replacingExisting` is false (checked again on commit).
    public init(_ kind: Kind, at destination: URL, replacingExisting: Bool = false) throws(AtomicOutputError) {
        let destination = destination.standardizedFileURL
        let fileManager = FileManager.default
        if !replacingExisting, fileManager.fileExists(atPath: destination.path) {
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
            throw .cannotCreate(path: destination.path, reason: error.localizedDescription)
        }
        PartialOutputRegistry.register(temporary)
        self.kind = kind
        self.destination = destination
        self.temporaryURL = temporary
        self.replacingExisting = replacingExisting
    }

    deinit { discard() }

    /// Moves the finished output onto the destination. After a failure the temporary output is removed.
    public func commit() throws(AtomicOutputError) {
        precondition(isPending, "AtomicOutput committed or discarded already")
        let fileManager = FileManager.default
        var displaced: URL?
        if fileManager.fileExists(atPath: destination.path) {
            guard replacingExisting else {
                discard()
                throw .destinationExists(path: destination.path)
            }
            let aside = temporaryURL.deletingLastPathComponent().appendingPathComponent(
                ".\(destination.lastPathComponent).replaced-\(UUID().uuidString.prefix(8).lowercased())")
            guard rename(destination.path, aside.path) == 0 else {
                let reason = String(cString: strerror(errno))
                discard()
                throw .cannotCommit(path: destination.path, reason: "moving the old output aside: \(reason)")
            }
            displaced = aside
        }
        guard rename(temporaryURL.path, destination.path) == 0 else {
            let reason = String(cString: strerror(errno))
            if let displaced { _ = rename(displaced.path, destination.path) }
            discard()
            throw .cannotCommit(path: destination.path, reason: reason)
        }
        isPending = false
        PartialOutputRegistry.unregister(temporaryURL)
        if let displaced { try? fileManager.removeItem(at: displaced) }
    }

    /// Removes the temporary output. Safe to call more than once; does nothing after `commit()`.
    public func discard() {
        guard isPending else { return }
        isPending = false
        try? FileManager.default.removeItem(at: temporaryURL)
        PartialOutputRegistry.unregister(temporaryURL)
    }

    /// Runs `body` with a temporary folder, then commits it; on a thrown error removes it and rethrows.
    public static func withFolder<Result>(at destination: URL, replacingExisting: Bool = false,
                                          _ body: (URL) throws -> Result) throws -> Result {
        try with(.folder, at: destination, replacingExisting: replacingExisting, body)
    }

    /// Runs `body` with a temporary file path, then commits it; on a thrown error removes it and rethrows.
    public static func withFile<Result>(at destination: URL, replacingExisting: Bool = false,
                                        _ body: (URL) throws -> Result) throws -> Result {
        try with(.file, at: destination, replacingExisting: replacingExisting, body)
    }

    private static func with<Result>(_ kind: Kind, at destination: URL, replacingExisting: Bool,
                                     _ body: (URL) throws -> Result) throws -> Result {
        let output = try AtomicOutput(kind, at: destination, replacingExisting: replacingExisting)
        do {
            let result = try body(output.temporaryURL)
            try output.commit()
            return result
        } catch {
            output.discard()
            throw error
        }
    }

    /// Async form of `withFolder(at:replacingExisting:_:)`.
    public static func withFolder<Result>(at destination: URL, replacingExisting: Bool = false,
                                          _ body: (URL) async throws -> Result) async throws -> Result {
        let output = try AtomicOutput(.folder, at: destination, replacingExisting: replacingExisting)
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
