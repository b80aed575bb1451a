/// Step 3.2 of partition.md: quotas by largest-remainder apportionment.
public enum LargestRemainder {
    /// Splits `total` items over `proportions.count` recipients: `t_h = floor(q_h * total)`, then one extra each
    /// to the largest fractional parts `q_h * total - t_h` (ties: lower index) until the quotas sum to `total`.
    ///
    /// - Parameters:
    ///   - total: items to split, >= 0.
    ///   - proportions: non-negative, summing to 1 up to rounding.
    /// - Returns: one quota per proportion, summing to `total`.
    public static func apportion(total: Int, proportions: [Double]) -> [Int] {
        precondition(total >= 0 && !proportions.isEmpty, "apportion needs total >= 0 and at least one recipient")
        let exact = proportions.map { $0 * Double(total) }
        var quotas = exact.map { Int($0.rounded(.down)) }
        let fractions = zip(exact, quotas).map { $0 - Double($1) }
        let order = fractions.indices.sorted { left, right in
            fractions[left] != fractions[right] ? fractions[left] > fractions[right] : left < right
        }
        var remaining = total - quotas.reduce(0, +)
        precondition(remaining >= 0, "proportions sum to more than 1: \(proportions)")
        var position = 0
        while remaining > 0 {
            quotas[order[position % order.count]] += 1
            remaining -= 1
            position += 1
        }
        return quotas
    }
}
