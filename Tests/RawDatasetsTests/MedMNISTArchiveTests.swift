import Checksums
import Foundation
import RawDatasets
import Testing

@Suite("MedMNIST npz reading")
struct MedMNISTArchiveTests {
    @Test("published BreastMNIST (DEFLATE): 546/78/156, labels and pixels equal numpy's")
    func breastMNISTMatchesNumpy() throws {
        let path = try fixturePath("breastmnist.npz")
        let archive = try MedMNISTArchive(path: path)
        #expect(archive.splits.map(\.count) == [546, 78, 156])
        #expect(archive.height == 28 && archive.width == 28 && archive.channels == 1 && archive.labelWidth == 1)
        #expect(archive.splits.allSatisfy { $0.imagesMember.method == .deflated })
        let numpy = try runPython("""
        import sys, hashlib, numpy as np
        d = np.load(sys.argv[1])
        for s in ['train', 'val', 'test']:
            print(''.join(str(int(v)) for v in d[s + '_labels'].ravel()), hashlib.sha256(d[s + '_images'].tobytes()).hexdigest())
        """, [path]).split(separator: "\n")
        #expect(numpy.count == 3)
        for (split, line) in zip(archive.splits, numpy) {
            let parts = line.split(separator: " ")
            #expect(split.labels.map(String.init).joined() == String(parts[0]))
            let storage = try archive.loadImages(of: split)
            var all: [UInt8] = []
            for index in 0..<storage.count { all += storage.image(at: index) }
            #expect(Checksums.sha256(of: all) == String(parts[1]))
        }
    }

    @Test("PneumoniaMNIST subset saved by np.savez (STORED): 2428/270/468")
    func storedMembers() throws {
        let archive = try MedMNISTArchive(path: try fixturePath("pneumoniamnist_subset_stored.npz"))
        #expect(archive.splits.map(\.count) == [2428, 270, 468])
        #expect(archive.splits.allSatisfy { $0.imagesMember.method == .stored })
        let storage = try archive.loadImages(of: archive.splits[1])
        #expect(storage.count == 270 && storage.imageByteCount == 784)
    }

    @Test("ZIP64 end records and extras are read (Python zipfile with lowered limits; classic end record set to 0xFFFF...)")
    func zip64() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("zip64.npz").path
        _ = try runPython("""
        import sys, io, zipfile, numpy as np
        zipfile.ZIP64_LIMIT = 16; zipfile.ZIP_FILECOUNT_LIMIT = 1
        rng = np.random.default_rng(0)
        with zipfile.ZipFile(sys.argv[1], 'w', compression=zipfile.ZIP_DEFLATED, allowZip64=True) as z:
            for s, n in [('train', 5), ('val', 2), ('test', 3)]:
                for kind, arr in [('images', rng.integers(0, 256, (n, 28, 28, 3), dtype=np.uint8)), ('labels', (np.arange(n) % 7).astype(np.uint8).reshape(n, 1))]:
                    b = io.BytesIO(); np.save(b, arr)
                    with z.open(s + '_' + kind + '.npy', 'w', force_zip64=True) as m: m.write(b.getvalue())
        d = bytearray(open(sys.argv[1], 'rb').read())
        assert d[-22:-18] == b'PK\\x05\\x06' and b'PK\\x06\\x06' in d
        d[-14:-2] = b'\\xff' * 12
        open(sys.argv[1], 'wb').write(d)
        """, [path])
        let archive = try MedMNISTArchive(path: path)
        #expect(archive.splits.map(\.count) == [5, 2, 3])
        #expect(archive.channels == 3)
        #expect(archive.splits[0].labels == [0, 1, 2, 3, 4])
        _ = try archive.loadImages(of: archive.splits[2])
    }

    @Test("images spilled to a mapped temporary file equal the in-memory ones; the file is unlinked at once")
    func spilledStorage() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = try MedMNISTArchive(path: try fixturePath("breastmnist.npz"))
        let split = archive.splits[0]
        let inMemory = try archive.loadImages(of: split)
        let spilled = try archive.loadImages(of: split, spillDirectory: folder.path, inMemoryLimit: 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        for index in [0, 1, 300, 545] {
            #expect(Array(spilled.image(at: index)) == Array(inMemory.image(at: index)))
        }
    }

    @Test("a missing member names the file and the member")
    func missingMember() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("partial.npz").path
        _ = try runPython("""
        import sys, numpy as np
        a = np.zeros((2, 28, 28), np.uint8); l = np.zeros((2, 1), np.uint8)
        np.savez(sys.argv[1], train_images=a, train_labels=l, val_images=a, val_labels=l, test_images=a)
        """, [path])
        let error = #expect(throws: ZipError.self) { try MedMNISTArchive(path: path) }
        #expect(error?.description.contains("partial.npz") == true)
        #expect(error?.description.contains("test_labels.npy") == true)
    }

    @Test("a truncated npz is refused with its name")
    func truncated() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = try RawInputFile(path: try fixturePath("breastmnist.npz")).readAll()
        let path = folder.appendingPathComponent("breastmnist.npz").path
        try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: (any Error).self) { try MedMNISTArchive(path: path) }
        #expect("\(error.map { "\($0)" } ?? "")".contains(path))
    }

    @Test("a corrupt deflate stream is refused naming the member")
    func corruptDeflate() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try fixturePath("breastmnist.npz")
        let archive = try MedMNISTArchive(path: source)
        var bytes = try RawInputFile(path: source).readAll()
        let member = archive.splits[0].imagesMember
        let dataStart = member.localHeaderOffset + 30 + member.name.utf8.count
        for index in (dataStart + 2000)..<(dataStart + 2400) { bytes[index] ^= 0x5A }
        let path = folder.appendingPathComponent("corrupt.npz").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let damaged = try MedMNISTArchive(path: path)
        let error = #expect(throws: InflateError.self) { try damaged.loadImages(of: damaged.splits[0]) }
        #expect(error?.description.contains("corrupt.npz:train_images.npy") == true)
    }
}
