extension PartitionHistogram {
    /// Checks the fields of `manifest` the histogram views index with or divide by, as values read from a file:
    /// every client sits at its own index, has `K` class counts (`K` = number of class names), each count within
    /// `0...size`, class-set entries within `0..<K`, and non-negative sizes; the totals have `K` class counts.
    /// - Throws: `ShardError.invalidJSON` naming `source`, the field and the fix.
    static func check(_ manifest: PartitionManifest, source: String) throws(ShardError) {
        let classCount = manifest.dataset.classNames.count
        func refuse(_ field: String, _ problem: String) -> ShardError {
            .invalidJSON(path: source, reason: "\(field) \(problem); the file was edited or damaged, so re-create the "
                + "shards with fednc-shards partition")
        }
        for (position, client) in manifest.clients.enumerated() {
            let field = "clients[\(position)]"
            guard client.index == position else { throw refuse("\(field).index", "is \(client.index), expected \(position)") }
            guard client.size >= 0 else { throw refuse("\(field).size", "is negative (\(client.size))") }
            guard client.classCounts.count == classCount else {
                throw refuse("\(field).classCounts", "has \(client.classCounts.count) entries for \(classCount) class "
                    + "names (dataset.classNames)")
            }
            if let bad = client.classCounts.firstIndex(where: { $0 < 0 || $0 > client.size }) {
                throw refuse("\(field).classCounts[\(bad)]", "is \(client.classCounts[bad]), outside 0...\(client.size) "
                    + "(the client's size)")
            }
            if let bad = client.classSet.first(where: { !(0..<classCount).contains($0) }) {
                throw refuse("\(field).classSet", "names class \(bad), outside 0..<\(classCount)")
            }
            guard (0...client.size).contains(client.emptyLabelSamples), client.maskedLabels >= 0 else {
                throw refuse(field, "has emptyLabelSamples \(client.emptyLabelSamples) or maskedLabels "
                    + "\(client.maskedLabels) outside 0...size")
            }
        }
        guard manifest.totals.classCounts.count == classCount else {
            throw refuse("totals.classCounts", "has \(manifest.totals.classCounts.count) entries for \(classCount) "
                + "class names (dataset.classNames)")
        }
    }
}
