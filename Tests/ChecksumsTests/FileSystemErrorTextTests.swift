import Checksums
import Foundation
import Testing

/// Messages that already name the path get only the reason: no second path, no Foundation internals.
@Suite("File-system error text")
struct FileSystemErrorTextTests {
    @Test("Foundation and POSIX errors become the system's words; our own errors keep their reason")
    func reasons() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fednc-fserror-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            Issue.record("creating an existing folder succeeded")
        } catch {
            let reason = FileSystemErrorText.reason(error)
            #expect(!reason.contains("Domain") && !reason.contains(folder.path) && !reason.isEmpty, "\(reason)")
        }
        do {
            _ = try Data(contentsOf: folder.appendingPathComponent("missing"))
        } catch {
            let reason = FileSystemErrorText.reason(error)
            #expect(!reason.contains("Domain") && !reason.contains("missing"), "\(reason)")
        }
        #expect(FileSystemErrorText.reason(CocoaError(.fileWriteFileExists)) == "it already exists")
        #expect(FileSystemErrorText.reason(POSIXError(.EACCES)) == String(cString: strerror(EACCES)))
        #expect(FileSystemErrorText.reason(ChecksumError.readFailed(path: "/x/y", reason: "Input/output error"))
                == "Input/output error")
    }
}
