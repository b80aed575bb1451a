import Foundation
import Safetensors

extension PartitionManifest {
    /// `partition.json` larger than this is refused before it is read: 64 MiB (a 100,000-client manifest of
    /// 1,000 classes is about 40 MiB).
    public static let maximumFileByteCount = 64 << 20
    /// The most classes a manifest may name (checked before any per-class arithmetic).
    public static let maximumClassCount = 100_000

    /// Reads and validates the `partition.json` of `shardsFolder`: the one checked place every command (verify,
    /// histogram, partition re-runs, the trainer) reads a manifest through. Every field is treated as untrusted
    /// input (`validated(path:)`).
    /// - Throws: `ShardError.missingFile` when there is no manifest, `.invalidJSON` naming the field otherwise.
    public static func read(shardsFolder: URL) throws(ShardError) -> PartitionManifest {
        let url = shardsFolder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw .missingFile(path: url.path, hint: "point the command at a folder written by fednc-shards partition")
        }
        let bytes: Data
        do {
            bytes = try ShardInputFile.contents(of: url, limit: maximumFileByteCount)
        } catch {
            throw .invalidJSON(path: url.path, reason: error.reason)
        }
        return try decodeValidated(bytes, path: url.path)
    }

    /// Parses `partition.json` bytes and validates every field; `path` names the file in errors.
    public static func decodeValidated(_ data: Data, path: String) throws(ShardError) -> PartitionManifest {
        let manifest: PartitionManifest
        do {
            manifest = try JSONDecoder().decode(PartitionManifest.self, from: data)
        } catch {
            let detail = JSONErrorText.describe(error, data: data, fractionalKeys: ["alpha", "rho", "seed"])
            throw .invalidJSON(path: path, reason: "\(detail); re-create the shards with fednc-shards partition")
        }
        try manifest.validate(path: path)
        return manifest
    }

    /// Checks every field against the others, as `ManifestBuilder` writes them; throws `.invalidJSON` naming the
    /// first bad field (`clients[3].classCounts: ...`). Never traps, whatever the numbers (sums are overflow-checked).
    public func validate(path: String) throws(ShardError) {
        func fail(_ field: String, _ problem: String) -> ShardError {
            .invalidJSON(path: path, reason: "\(field) \(problem); the file was edited or damaged - "
                         + "re-create the shards with fednc-shards partition")
        }
        guard formatVersion == Self.currentFormatVersion else {
            throw fail("formatVersion", "is \(formatVersion), this version reads \(Self.currentFormatVersion)")
        }
        let classCount = dataset.classNames.count
        guard (1...Self.maximumClassCount).contains(classCount) else {
            throw fail("dataset.classNames", "holds \(classCount) names, expected 1 to \(Self.maximumClassCount)")
        }
        guard parameters.clients >= 1, parameters.clients == clients.count else {
            throw fail("parameters.clients", "is \(parameters.clients), but the manifest lists \(clients.count) clients")
        }
        guard parameters.minClientSize >= 0 else { throw fail("parameters.minClientSize", "is negative") }
        try validateDatasetFiles(fail)

        var keptTotal = 0, emptyTotal = 0, maskedTotal = 0
        var classTotals = [Int](repeating: 0, count: classCount)
        for (position, client) in clients.enumerated() {
            let field = "clients[\(position)]"
            guard client.index == position else { throw fail("\(field).index", "is \(client.index), expected \(position)") }
            guard client.file == Self.shardFileName(client: position) else {
                throw fail("\(field).file", "is \"\(client.file)\", expected \"\(Self.shardFileName(client: position))\"")
            }
            guard Self.isSHA256(client.sha256) else { throw fail("\(field).sha256", "is not 64 lowercase hex digits") }
            guard client.size >= 0 else { throw fail("\(field).size", "is negative") }
            guard (0...client.size).contains(client.emptyLabelSamples) else {
                throw fail("\(field).emptyLabelSamples", "is \(client.emptyLabelSamples), outside 0...\(client.size)")
            }
            guard client.maskedLabels >= 0 else { throw fail("\(field).maskedLabels", "is negative") }
            if let outside = client.classSet.first(where: { !(0..<classCount).contains($0) }) {
                throw fail("\(field).classSet", "names class \(outside), but there are \(classCount) classes (0-\(classCount - 1))")
            }
            guard zip(client.classSet, client.classSet.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw fail("\(field).classSet", "must list class indices in ascending order, once each")
            }
            guard client.classCounts.count == classCount else {
                throw fail("\(field).classCounts", "has \(client.classCounts.count) entries for \(classCount) class names")
            }
            for (classIndex, count) in client.classCounts.enumerated() {
                guard (0...client.size).contains(count) else {
                    throw fail("\(field).classCounts[\(classIndex)]", "is \(count), outside 0...\(client.size) (the shard's size)")
                }
                classTotals[classIndex] = try Self.add(classTotals[classIndex], count, "totals.classCounts", fail)
            }
            keptTotal = try Self.add(keptTotal, client.size, "totals.kept", fail)
            emptyTotal = try Self.add(emptyTotal, client.emptyLabelSamples, "totals.emptyLabelSamples", fail)
            maskedTotal = try Self.add(maskedTotal, client.maskedLabels, "maskedLabels", fail)
        }
        guard totals.samples >= 0 else { throw fail("totals.samples", "is negative") }
        guard totals.kept == keptTotal else { throw fail("totals.kept", "is \(totals.kept), the clients' sizes add up to \(keptTotal)") }
        guard totals.kept <= totals.samples, totals.dropped == totals.samples - totals.kept else {
            throw fail("totals.dropped", "is \(totals.dropped), but samples - kept = \(totals.samples) - \(totals.kept)")
        }
        guard dropped.unroutable >= 0, dropped.noEligibleClient >= 0, dropped.emptyLabels >= 0 else {
            throw fail("dropped", "holds a negative count")
        }
        let droppedSum = try Self.add(try Self.add(dropped.unroutable, dropped.noEligibleClient, "dropped", fail),
                                      dropped.emptyLabels, "dropped", fail)
        guard droppedSum == totals.dropped else {
            throw fail("dropped", "its counts add up to \(droppedSum), but totals.dropped is \(totals.dropped)")
        }
        guard totals.emptyLabelSamples == emptyTotal else {
            throw fail("totals.emptyLabelSamples", "is \(totals.emptyLabelSamples), the clients' add up to \(emptyTotal)")
        }
        guard maskedLabels == maskedTotal else { throw fail("maskedLabels", "is \(maskedLabels), the clients' add up to \(maskedTotal)") }
        guard totals.classCounts == classTotals else {
            throw fail("totals.classCounts", "differs from the clients' classCounts added up (\(classTotals.count) classes)")
        }
        guard totals.datasetClassCounts.count == classCount,
              totals.datasetClassCounts.allSatisfy({ (0...totals.samples).contains($0) }) else {
            throw fail("totals.datasetClassCounts", "must hold \(classCount) counts between 0 and \(totals.samples)")
        }
    }

    /// The dataset section: file entries are the prepared dataset's three files inside `folder`, with SHA-256s.
    private func validateDatasetFiles(_ fail: (String, String) -> ShardError) throws(ShardError) {
        let folder = dataset.folder
        guard !folder.isEmpty, !folder.hasPrefix("/"), !folder.contains("\0") else {
            throw fail("dataset.folder", "must be a relative path (such as ../prepared)")
        }
        guard Self.isSHA256(dataset.datasetJSONSHA256) else {
            throw fail("dataset.datasetJSONSHA256", "is not 64 lowercase hex digits")
        }
        let expected = [("train", dataset.train, PreparedDataset.trainName),
                        ("validation", dataset.validation, PreparedDataset.validationName),
                        ("test", dataset.test, PreparedDataset.testName)]
        for (key, digest, name) in expected {
            let path = folder == "." ? name : folder + "/" + name
            guard digest.file == path else { throw fail("dataset.\(key).file", "is \"\(digest.file)\", expected \"\(path)\"") }
            guard Self.isSHA256(digest.sha256) else { throw fail("dataset.\(key).sha256", "is not 64 lowercase hex digits") }
        }
    }

    private static func add(_ a: Int, _ b: Int, _ field: String,
                            _ fail: (String, String) -> ShardError) throws(ShardError) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw fail(field, "the counts add up to more than \(Int.max)") }
        return sum
    }

    /// True for 64 lowercase hexadecimal digits.
    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
