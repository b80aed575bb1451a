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
        // Sorting (score, label) pairs in place keeps the comparisons on contiguous memory.
        var pairs = [(score: Float, isPositive: Bool)]()
        pairs.reserveCapacity(scores.count)
        // A NaN score (a diverged model) ranks lowest, so the sort stays a strict weak ordering.
        for index in scores.indices { pairs.append((scores[index].isNaN ? -.infinity : scores[index], isPositive[index])) }
        pairs.sort { $0.score < $1.score }
        var positiveRankSum = 0.0
        var start = 0
        while start < pairs.count {
            var end = start + 1
            var tiedPositives = pairs[start].isPositive ? 1 : 0
            while end < pairs.count, pairs[end].score == pairs[start].score {
                if pairs[end].isPositive { tiedPositives += 1 }
                end += 1
            }
            // Ranks start+1 ... end share their mean.
            positiveRankSum += Double(tiedPositives) * Double(start + 1 + end) / 2
            start = end
        }
        let p = Double(positives), n = Double(negatives)
        return (positiveRankSum - p * (p + 1) / 2) / (p * n)
    }
}
