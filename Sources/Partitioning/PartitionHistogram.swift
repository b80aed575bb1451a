/// Output formats of `fednc-shards histogram`.
public enum HistogramFormat: String, Sendable, CaseIterable {
    /// Aligned text for a terminal: one row per class (with its name), one column per client.
    case table
    /// One row per client: size, empty, masked, class set, then one column per class.
    case csv
    /// A JSON object with the class names and each client's counts.
    case json
    /// A GitHub-flavoured Markdown table laid out like `table`.
    case markdown
}

/// A client x class view of a partition manifest: counts of positive labels per client and class, which classes
/// each client holds, and what was dropped or masked.
///
/// With `normalize`, a cell is the share of the client's samples that carry the class (`count / size`, 0 for an
/// empty client) instead of a count.
public struct PartitionHistogram: Sendable {
    /// The class names, `K` of them.
    public let classNames: [String]
    /// The manifest's clients, by index.
    public let clients: [PartitionManifest.Client]
    /// Samples in no shard, by reason.
    public let dropped: PartitionManifest.Dropped
    /// Positive labels removed by masking.
    public let maskedLabels: Int
    /// The manifest's totals.
    public let totals: PartitionManifest.Totals
    /// The prepared dataset's name (for the figure's title).
    public let datasetName: String
    /// The partition parameters (for the figure's subtitle).
    public let parameters: PartitionManifest.Parameters

    /// Reads the parts of `manifest` the views show, after checking every field against the others
    /// (`PartitionManifest.validate(path:)`, so no view can trap on a damaged file); `source` names the file in errors.
    public init(manifest: PartitionManifest, source: String = PartitionManifest.fileName) throws(ShardError) {
        try manifest.validate(path: source)
        classNames = manifest.dataset.classNames
        clients = manifest.clients
        dropped = manifest.dropped
        maskedLabels = manifest.maskedLabels
        totals = manifest.totals
        datasetName = manifest.dataset.name
        parameters = manifest.parameters
    }

    /// Whether `client` holds class `classIndex`.
    public func holds(_ client: PartitionManifest.Client, _ classIndex: Int) -> Bool {
        client.classSet.contains(classIndex)
    }

    /// The cell value: a count, or with `normalize` the share `count / size`.
    public func value(_ client: PartitionManifest.Client, _ classIndex: Int, normalize: Bool) -> Double {
        let count = Double(client.classCounts[classIndex])
        guard normalize else { return count }
        return client.size == 0 ? 0 : count / Double(client.size)
    }

    /// The cell as text: an integer count or a share with three decimals.
    func cellText(_ client: PartitionManifest.Client, _ classIndex: Int, normalize: Bool) -> String {
        normalize ? Self.fixed(value(client, classIndex, normalize: true), decimals: 3)
            : String(client.classCounts[classIndex])
    }

    /// `value` with exactly `decimals` decimals (no locale), e.g. `0.125`.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = String(scaled % Int(scale))
        return "\(whole)." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    /// The dropped/masked summary line.
    var summaryLine: String {
        "samples \(totals.samples), kept \(totals.kept), dropped \(totals.dropped) (unroutable \(dropped.unroutable), "
            + "no eligible client \(dropped.noEligibleClient), empty labels \(dropped.emptyLabels)), "
            + "masked labels \(maskedLabels)"
    }
}
