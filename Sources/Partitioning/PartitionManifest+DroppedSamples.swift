extension PartitionManifest {
    /// The warning `fednc-shards partition` prints when samples are in no shard, or nil when every sample is
    /// kept: how many of the training samples were dropped, why, the positive labels lost per class (dataset
    /// positives minus kept positives; under `mask` this includes masked labels), and the option that keeps them.
    public var droppedSamplesWarning: String? {
        guard totals.dropped > 0 else { return nil }
        var reasons = [String]()
        var remedies = [String]()
        if dropped.noEligibleClient > 0 {
            reasons.append("\(dropped.noEligibleClient) whose labels no single client holds")
            remedies.append("--absent-labels mask keeps those (their labels outside the client's classes are cleared)")
        }
        if dropped.unroutable > 0 {
            reasons.append("\(dropped.unroutable) anchored at a class no client holds")
            remedies.append("a larger --rho gives every class a holder")
        }
        if dropped.emptyLabels > 0 {
            reasons.append("\(dropped.emptyLabels) without labels")
            remedies.append("--empty-labels spread keeps samples without labels")
        }
        let lost = zip(dataset.classNames, zip(totals.datasetClassCounts, totals.classCounts))
            .map { name, counts in (name, counts.0 - counts.1) }
            .filter { $0.1 > 0 }
            .map { "\($0.0) \($0.1)" }
        var text = "\(totals.dropped) of \(totals.samples) training samples are in no shard ("
            + reasons.joined(separator: ", ") + ")"
        if !lost.isEmpty { text += "; positive labels lost per class: " + lost.joined(separator: ", ") }
        if !remedies.isEmpty { text += "; " + remedies.joined(separator: "; ") }
        return text
    }
}
