/// Exact ROC AUC by the rank-sum (Mann-Whitney U) identity, ties at their average rank, which is what
/// scikit-learn's `roc_auc_score` computes for one binary column:
///
///     AUC = (sum of the positives' ranks - P (P + 1) / 2) / (P * N)
///
/// with ranks 1...n over the scores sorted ascending and tied scores sharing the mean of their ranks.
public enum ROCCurve {
    /// The AUC of `scores` against binary `isPositive`, or `nil` when either class is absent (undefined).
    /// Sorts once: O(n log n). Accumulates in Double.
    public static func areaUnderCurve(scores: [Float], isPositive: [Bool]) -> Double? {
        precondition(scores.count == isPositive.count, "one label per score")
        let positives = isPositive.reduce(0) { $0 + ($1 ? 1 : 0) }
        let negatives = scores.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var positiveRankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count, scores[order[end]] == scores[order[start]] { end += 1 }
            // Ranks start+1 ... end share their mean.
            let averageRank = Double(start + 1 + end) / 2
            for position in start..<end where isPositive[order[position]] { positiveRankSum += averageRank }
            start = end
        }
        let p = Double(positives), n = Double(negatives)
        return (positiveRankSum - p * (p + 1) / 2) / (p * n)
    }
}
