#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A writable file descriptor with "write everything or throw" semantics. Not thread-safe.
package struct PosixFile {
    package let descriptor: Int32
    package let path: String
    /// Segments per `writev(2)` call: 1,024, Linux's `IOV_MAX` (not exported to Swift).
    package static let maximumSegmentsPerWrite = 1024

    /// Writes all of `bytes`, retrying short writes and `EINTR`.
    package func write(_ bytes: UnsafeRawBufferPointer) throws(SafetensorsError) {
        var written = 0
        while written < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let result = Glibc.write(descriptor, base + written, bytes.count - written)
            if result < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(path: path, reason: PosixFile.errnoDescription())
            }
            written += result
        }
    }

    /// Writes all of `segments`, in order, with `writev(2)` (at most `IOV_MAX` segments per call), retrying
    /// short writes and `EINTR`: a gather write that spares the caller copying scattered bytes into one buffer.
    package func write(segments: [UnsafeRawBufferPointer]) throws(SafetensorsError) {
        var vectors = segments.filter { $0.count > 0 }.map {
            iovec(iov_base: UnsafeMutableRawPointer(mutating: $0.baseAddress), iov_len: $0.count)
        }
        var first = 0
        while first < vectors.count {
            let count = min(vectors.count - first, PosixFile.maximumSegmentsPerWrite)
            let result = vectors.withUnsafeBufferPointer { writev(descriptor, $0.baseAddress! + first, Int32(count)) }
            if result < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(path: path, reason: PosixFile.errnoDescription())
            }
            var written = result
            while first < vectors.count, written >= vectors[first].iov_len {
                written -= vectors[first].iov_len
                first += 1
            }
            if written > 0 {
                vectors[first].iov_base += written
                vectors[first].iov_len -= written
            }
        }
    }

    /// Writes all of `bytes`.
    package func write(_ bytes: [UInt8]) throws(SafetensorsError) {
        let outcome = bytes.withUnsafeBytes { raw in
            Result { () throws(SafetensorsError) in try write(raw) }
        }
        try outcome.get()
    }

    /// Appends the first `byteCount` bytes of `source` (read from its start) at this file's current position,
    /// copying inside the kernel (`sendfile`), with a buffered read/write fallback.
    package func append(contentsOf source: PosixFile, byteCount: Int) throws(SafetensorsError) {
        var sourceOffset = off_t(0)
        var copied = 0
        while copied < byteCount {
            let result = sendfile(descriptor, source.descriptor, &sourceOffset, min(byteCount - copied, 1 << 30))
            if result < 0 {
                if errno == EINTR { continue }
                if errno == EINVAL || errno == ENOSYS {
                    try appendByReading(source, from: Int(sourceOffset), byteCount: byteCount - copied)
                    return
                }
                throw .writeFailed(path: path, reason: "copying from \(source.path): \(PosixFile.errnoDescription())")
            }
            if result == 0 {
                throw .writeFailed(path: path, reason: "\(source.path) ended after \(copied) of \(byteCount) bytes")
            }
            copied += result
        }
    }

    private func appendByReading(_ source: PosixFile, from offset: Int, byteCount: Int) throws(SafetensorsError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var position = offset
        var remaining = byteCount
        while remaining > 0 {
            let result = pread(source.descriptor, buffer.baseAddress, min(remaining, buffer.count), off_t(position))
            if result < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(path: path, reason: "reading \(source.path): \(PosixFile.errnoDescription())")
            }
            if result == 0 {
                throw .writeFailed(path: path, reason: "\(source.path) ended early")
            }
            try write(UnsafeRawBufferPointer(rebasing: buffer[0..<result]))
            position += result
            remaining -= result
        }
    }

    /// Creates a new, empty file next to `url` named `.<name>.<purpose>-XXXXXX` (mode 0600).
    package static func makeUniqueSibling(of url: URL, purpose: String) throws(SafetensorsError) -> PosixFile {
        let folder = url.deletingLastPathComponent().path
        var template = Array("\(folder)/.\(url.lastPathComponent).\(purpose)-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemp($0) } ?? -1
        }
        guard descriptor >= 0 else {
            throw .writeFailed(path: url.path, reason: "cannot create a temporary file in \(folder): "
                               + errnoDescription())
        }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return PosixFile(descriptor: descriptor, path: path)
    }

    package static func errnoDescription() -> String {
        String(cString: strerror(errno))
    }
}

/// A temporary file in the destination's folder that becomes the destination on `commit()` (atomic rename) or
/// disappears on `discard()` / deinit.
package final class TemporarySibling {
    package let destination: URL
    package let file: PosixFile
    private var isOpen = true

    package init(of destination: URL) throws(SafetensorsError) {
        self.destination = destination
        self.file = try PosixFile.makeUniqueSibling(of: destination, purpose: "tmp")
    }

    /// Sets mode 0644, closes and renames onto the destination (replacing any existing file).
    package func commit() throws(SafetensorsError) {
        precondition(isOpen, "TemporarySibling committed twice")
        isOpen = false
        _ = fchmod(file.descriptor, 0o644)
        if close(file.descriptor) != 0 {
            let reason = PosixFile.errnoDescription()
            unlink(file.path)
            throw .writeFailed(path: destination.path, reason: reason)
        }
        if rename(file.path, destination.path) != 0 {
            let reason = PosixFile.errnoDescription()
            unlink(file.path)
            throw .writeFailed(path: destination.path, reason: "rename from \(file.path): \(reason)")
        }
    }

    /// Closes and removes the temporary file. Safe to call more than once.
    package func discard() {
        guard isOpen else { return }
        isOpen = false
        close(file.descriptor)
        unlink(file.path)
    }

    deinit { discard() }
}
