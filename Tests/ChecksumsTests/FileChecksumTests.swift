import Checksums
import Foundation
import Testing

/// File hashing, cross-checked against Python's hashlib.
@Suite("Checksums of files")
struct FileChecksumTests {
    /// A deterministic pseudo-random file spanning several read chunks, with a ragged tail.
    private func makeFile(byteCount: Int) throws -> URL {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var bytes = [UInt8](repeating: 0, count: byteCount)
        for index in bytes.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[index] = UInt8(truncatingIfNeeded: state >> 56)
        }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("checksums-\(UUID().uuidString).bin")
        try Data(bytes).write(to: url)
        return url
    }

    private func pythonDigests(of url: URL) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import hashlib, sys
            data = open(sys.argv[1], 'rb').read()
            print(hashlib.sha256(data).hexdigest()); print(hashlib.md5(data).hexdigest())
            """, url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test("sha256(fileAt:) and md5(fileAt:) equal hashlib on a 9 MiB + 17 byte file")
    func matchesHashlib() throws {
        let url = try makeFile(byteCount: 9 << 20 + 17)
        defer { try? FileManager.default.removeItem(at: url) }
        let python = try pythonDigests(of: url)
        #expect(python.count == 2)
        #expect(try Checksums.sha256(fileAt: url) == python.first)
        #expect(try Checksums.md5(fileAt: url) == python.last)
        let both = try Checksums.digests(fileAt: url, algorithms: [.sha256, .md5])
        #expect(both[.sha256] == python.first)
        #expect(both[.md5] == python.last)
        let contents = try Data(contentsOf: url)
        #expect(Checksums.sha256(of: contents) == python.first)
    }

    @Test("empty file; verify accepts upper-case hex and rejects a wrong digest")
    func emptyFileAndVerify() throws {
        let url = try makeFile(byteCount: 0)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try Checksums.md5(fileAt: url) == "d41d8cd98f00b204e9800998ecf8427e")
        try Checksums.verify(fileAt: url, algorithm: .md5, expected: "D41D8CD98F00B204E9800998ECF8427E")
        #expect(throws: ChecksumError.self) {
            try Checksums.verify(fileAt: url, algorithm: .sha256, expected: String(repeating: "0", count: 64))
        }
    }

    @Test("a missing file is a cannotOpen error naming the path")
    func missingFile() {
        let url = URL(fileURLWithPath: "/nonexistent/fednc-missing.bin")
        do {
            _ = try Checksums.sha256(fileAt: url)
            Issue.record("expected an error")
        } catch {
            guard case .cannotOpen(let path, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == url.path)
            #expect(error.description.contains("fednc-missing.bin"))
        }
    }
}
