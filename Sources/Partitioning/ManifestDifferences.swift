/// Field-by-field comparison of two manifests, for `verify` and for refusing to overwrite.
public enum ManifestDifferences {
    /// `clients=10 alpha=0.5 rho=0.5 seed=0 absentLabels=drop emptyLabels=spread minClientSize=1`.
    public static func describe(_ parameters: PartitionManifest.Parameters) -> String {
        let alpha = parameters.alpha.isInfinite ? "inf" : "\(parameters.alpha)"
        return "clients=\(parameters.clients) alpha=\(alpha) rho=\(parameters.rho) seed=\(parameters.seed) "
            + "absentLabels=\(parameters.absentLabels) emptyLabels=\(parameters.emptyLabels) "
            + "minClientSize=\(parameters.minClientSize)"
    }

    /// Every difference between what a manifest records (`recorded`) and what re-running gives (`expected`), one
    /// line each, naming the field; empty when they agree.
    public static func list(recorded: PartitionManifest, expected: PartitionManifest) -> [String] {
        var lines = [String]()
        func check<Value: Equatable>(_ field: String, _ lhs: Value, _ rhs: Value) {
            if lhs != rhs { lines.append("\(field): manifest has \(lhs), re-running gives \(rhs)") }
        }
        check("formatVersion", recorded.formatVersion, expected.formatVersion)
        check("algorithm", recorded.algorithm, expected.algorithm)
        check("attemptUsed", recorded.attemptUsed, expected.attemptUsed)
        check("dataset.name", recorded.dataset.name, expected.dataset.name)
        check("dataset.classNames", recorded.dataset.classNames, expected.dataset.classNames)
        check("dataset.datasetJSONSHA256", recorded.dataset.datasetJSONSHA256, expected.dataset.datasetJSONSHA256)
        check("dataset.train.sha256", recorded.dataset.train.sha256, expected.dataset.train.sha256)
        check("dataset.validation.sha256", recorded.dataset.validation.sha256, expected.dataset.validation.sha256)
        check("dataset.test.sha256", recorded.dataset.test.sha256, expected.dataset.test.sha256)
        check("clients (count)", recorded.clients.count, expected.clients.count)
        for (mine, theirs) in zip(recorded.clients, expected.clients) {
            let prefix = "clients[\(mine.index)]"
            check(prefix + ".file", mine.file, theirs.file)
            check(prefix + ".size", mine.size, theirs.size)
            check(prefix + ".classSet", mine.classSet, theirs.classSet)
            check(prefix + ".classCounts", mine.classCounts, theirs.classCounts)
            check(prefix + ".emptyLabelSamples", mine.emptyLabelSamples, theirs.emptyLabelSamples)
            check(prefix + ".maskedLabels", mine.maskedLabels, theirs.maskedLabels)
            check(prefix + ".sha256", mine.sha256, theirs.sha256)
        }
        check("dropped.unroutable", recorded.dropped.unroutable, expected.dropped.unroutable)
        check("dropped.noEligibleClient", recorded.dropped.noEligibleClient, expected.dropped.noEligibleClient)
        check("dropped.emptyLabels", recorded.dropped.emptyLabels, expected.dropped.emptyLabels)
        check("maskedLabels", recorded.maskedLabels, expected.maskedLabels)
        check("totals", recorded.totals, expected.totals)
        return lines
    }
}
