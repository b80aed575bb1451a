#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Checksums
import CZlib
import Foundation

/// Errors writing sample files.
public enum SampleWriteError: Error, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason): "\(path): cannot write (\(reason)); check the folder is writable and has space"
        }
    }
}

/// Compresses bytes with zlib's deflate, as a gzip file (RFC 1952, mtime 0: deterministic) or a raw DEFLATE
/// stream (for ZIP members), streaming to an output closure in 256 KiB pieces.
public final class DeflateCompressor {
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    private let sink: (UnsafeRawBufferPointer) throws -> Void

    /// `gzip`: gzip wrapper; otherwise raw deflate. Level 6 (zlib's default).
    public init(gzip: Bool, sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.sink = sink
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(byteCount: 1 << 18, alignment: 16)
        let status = deflateInit2_(stream, 6, Z_DEFLATED, gzip ? 15 + 16 : -15, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "zlib deflateInit2 failed with \(status)")
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress!.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = UInt32(bytes.count)
        try pump(flush: Z_NO_FLUSH)
    }

    public func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    /// Ends the stream (trailer included).
    public func finish() throws { try pump(flush: Z_FINISH) }

    private func pump(flush: Int32) throws {
        repeat {
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = UInt32(output.count)
            let status = deflate(stream, flush)
            precondition(status != Z_STREAM_ERROR, "zlib deflate stream error")
            let produced = output.count - Int(stream.pointee.avail_out)
            if produced > 0 { try sink(UnsafeRawBufferPointer(rebasing: output[0..<produced])) }
            if flush == Z_FINISH && status == Z_STREAM_END { return }
        } while stream.pointee.avail_out == 0 || (flush == Z_FINISH)
    }
}

/// Writes a file atomically: bytes go to the hidden sibling `.<name>.partial-<pid>` (the form every FedNC tool uses,
/// so `fednc-shards leftovers` lists one a killed run left), renamed onto `path` on `commit()`.
public final class AtomicFileWriter {
    public let path: String
    private let temporaryPath: String
    private let handle: FileHandle
    private var committed = false

    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        temporaryPath = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(getpid())").path
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporaryPath) else {
            throw SampleWriteError.cannotWrite(path: path, reason: "cannot create the file")
        }
        self.handle = handle
        PartialOutputRegistry.register(URL(fileURLWithPath: temporaryPath))
    }

    deinit {
        try? handle.close()
        if !committed { unlink(temporaryPath) }
        PartialOutputRegistry.unregister(URL(fileURLWithPath: temporaryPath))
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        do { try handle.write(contentsOf: Data(bytes)) } catch {
            throw SampleWriteError.cannotWrite(path: path, reason: FileSystemErrorText.reason(error))
        }
    }

    public func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    public func commit() throws {
        try handle.close()
        guard rename(temporaryPath, path) == 0 else {
            throw SampleWriteError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        committed = true
        PartialOutputRegistry.unregister(URL(fileURLWithPath: temporaryPath))
    }
}

/// Creates `folder` (and its parents), reporting failure as a `SampleWriteError` that names it.
func makeSampleFolder(_ folder: URL) throws {
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
        throw SampleWriteError.cannotWrite(path: folder.path, reason: "cannot create the folder")
    }
}
