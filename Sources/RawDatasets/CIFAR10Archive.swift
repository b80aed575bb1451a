import Checksums
import Foundation

/// The CIFAR-10 binary version, read from the folder `cifar-10-batches-bin/` or directly from
/// `cifar-10-binary.tar.gz` (gzip + tar streamed in Swift; nothing is unpacked to disk).
///
/// Holds the six batches in memory (6 x 30.7 MB for the published files; from a folder as read-only mappings of
/// the files, from the tarball as arrays) and the class names from `batches.meta.txt`.
public struct CIFAR10Archive: Sendable {
    /// Batch file names in the published archive.
    public static let batchNames = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                                    "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"]
    /// The published tarball's md5.
    public static let publishedTarballMD5 = "c32a1d4ab5d03f1284b67883e8d87530"

    /// The 10 class names in label order.
    public let classNames: [String]
    /// Batches by file name (`data_batch_1.bin` ... `test_batch.bin`).
    public let batches: [String: CIFAR10Batch]
    /// The files read (the tarball, or batches.meta.txt and each batch file) with their SHA-256, for dataset.json.
    public let inputs: [RawInputDigest]

    /// Reads `path` (a folder or a `.tar.gz`). `allowShortBatches` accepts batches of any whole number of records
    /// (the sample data); published batches are always exactly 10,000. `expectedMD5` (hex) checks the tarball
    /// (computed in the same read pass); use `publishedTarballMD5` for the official download.
    public init(path: String, allowShortBatches: Bool = false, expectedMD5: String? = nil) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CIFAR10Error.notFound(path: path)
        }
        if isDirectory.boolValue {
            try self.init(folder: path, allowShortBatches: allowShortBatches)
        } else {
            try self.init(tarball: path, allowShortBatches: allowShortBatches, expectedMD5: expectedMD5)
        }
    }

    /// Reads `batches.meta.txt` and the six batches of a folder. The seven files are read (batches mapped),
    /// validated and hashed concurrently, one per core; errors are reported as a sequential read would, in file
    /// order: the class list first, then the batches in `batchNames` order.
    private init(folder: String, allowShortBatches: Bool) throws {
        var root = folder
        let nested = (folder as NSString).appendingPathComponent("cifar-10-batches-bin")
        if !FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("batches.meta.txt")),
           FileManager.default.fileExists(atPath: nested) {
            root = nested
        }
        let names = ["batches.meta.txt"] + Self.batchNames
        let members = CIFAR10FolderMember.loadAll(names: names, root: root, allowShortBatches: allowShortBatches)
        let meta = try members[0].get()
        let metaPath = (root as NSString).appendingPathComponent("batches.meta.txt")
        let classNames = try Self.parseClassNames(meta.classListBytes, origin: metaPath)
        var batches: [String: CIFAR10Batch] = [:]
        var inputs = [meta.digest]
        for member in members.dropFirst() {
            let loaded = try member.get()
            batches[loaded.digest.name] = loaded.batch
            inputs.append(loaded.digest)
        }
        self.classNames = classNames
        self.batches = batches
        self.inputs = inputs
    }

    /// Reads the tarball in two passes side by side: this thread inflates and parses it while another computes
    /// its SHA-256 and MD5 (reading the file again, from the page cache). Errors of the contents come first, then
    /// a failed read on the hashing side, then an MD5 mismatch.
    private init(tarball: String, allowShortBatches: Bool, expectedMD5: String?) throws {
        let file = try RawInputFile(path: tarball)
        // Released (cancelled and joined) on every exit from this initializer, errors included.
        let hashingPass = BackgroundResult { cancellation in
            let hashing = HashingSource(CancellableSource(FileRangeSource(file: file), cancellation: cancellation))
            let digests = try hashing.finish()
            return (digests.sha256, digests.md5, hashing.byteCount)
        }
        var gunzip = try InflateSource(FileRangeSource(file: file), format: .gzip)
        var tar = TarReader(gunzip)
        var batches: [String: CIFAR10Batch] = [:]
        var classNames: [String]?
        while let entry = try tar.nextEntry() {
            guard entry.kind == .regularFile else { continue }
            let name = (entry.path as NSString).lastPathComponent
            let origin = "\(tarball):\(entry.path)"
            if name == "batches.meta.txt" {
                guard entry.size <= CIFAR10FolderMember.maximumClassListSize else {
                    throw CIFAR10Error.badClassList(file: origin, detail: "\(entry.size) bytes is far more than 10 class names")
                }
                classNames = try Self.parseClassNames(try tar.readBytes(entry.size, context: entry.path), origin: origin)
            } else if Self.batchNames.contains(name) {
                try CIFAR10Batch.checkSize(entry.size, origin: origin, allowShortBatches: allowShortBatches)
                let bytes = try tar.readBytes(entry.size, context: entry.path)
                batches[name] = try CIFAR10Batch(name: name, origin: origin, bytes: bytes, allowShortBatches: allowShortBatches)
            }
        }
        guard let classNames else { throw CIFAR10Error.missingMember(origin: tarball, name: "batches.meta.txt") }
        for name in Self.batchNames where batches[name] == nil {
            throw CIFAR10Error.missingMember(origin: tarball, name: name)
        }
        _ = try tar.drain()
        _ = try gunzip.drain()
        let (sha256, md5, byteCount) = try hashingPass.get()
        if let expectedMD5, md5 != expectedMD5.lowercased() {
            throw CIFAR10Error.checksumMismatch(file: tarball, expected: expectedMD5.lowercased(), actual: md5)
        }
        self.classNames = classNames
        self.batches = batches
        inputs = [RawInputDigest(name: (tarball as NSString).lastPathComponent, byteCount: byteCount, sha256: sha256)]
    }

    /// Class names from `batches.meta.txt`: one per line, trailing blank lines (and `\r`) ignored; exactly 10.
    package static func parseClassNames(_ bytes: [UInt8], origin: String) throws -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        guard lines.count == 10 else {
            throw CIFAR10Error.badClassList(file: origin, detail: "found \(lines.count) names")
        }
        guard !lines.contains(where: \.isEmpty) else {
            throw CIFAR10Error.badClassList(file: origin, detail: "a blank line sits between the names")
        }
        return lines
    }

    /// The batches of `names`, in that order.
    public func batches(named names: [String]) -> [CIFAR10Batch] {
        names.compactMap { batches[$0] }
    }
}
