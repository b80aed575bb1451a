import Checksums
import Foundation

/// With `--skip-bad` the record count is known only at the end, so images first go to a spool file in the
/// staging folder and are copied into the split file once the count is final.
final class ImageSpool: SplitFileSink, @unchecked Sendable {
    private let url: URL
    private let handle: FileHandle

    init(url: URL) throws {
        self.url = url
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = FileHandle(forUpdatingAtPath: url.path) else {
            throw PreparationError.cannotWrite(path: url.path, reason: "cannot create the spool file")
        }
        self.handle = handle
    }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(at: url)
    }

    func appendImages(_ bytes: UnsafeRawBufferPointer) throws {
        do { try handle.write(contentsOf: Data(bytes)) } catch {
            throw PreparationError.cannotWrite(path: url.path, reason: FileSystemErrorText.reason(error))
        }
    }

    func finish(labels: [UInt8], difficult: [UInt8]?, sources: [Int64]) throws -> String {
        preconditionFailure("an image spool is replayed into a split file, never finished itself")
    }

    /// Copies the spooled images into `sink` in 8 MiB pieces.
    func replay(into sink: any SplitFileSink) throws {
        try handle.seek(toOffset: 0)
        while let chunk = try handle.read(upToCount: 8 << 20), !chunk.isEmpty {
            try chunk.withUnsafeBytes { try sink.appendImages($0) }
        }
    }
}
