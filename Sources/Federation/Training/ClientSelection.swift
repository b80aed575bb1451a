import SeededRandom

/// Which clients take part in a round: `max(1, round(fraction * N))` of them, drawn by shuffling `0..<N` with
/// stream `participation/<round>` of the run's seed and keeping the first ones, in ascending order.
/// Full participation takes every client without a draw.
public enum ClientSelection {
    public static func participants(round: Int, clientCount: Int, fraction: Double, seed: UInt64) -> [Int] {
        precondition(clientCount > 0 && fraction > 0 && fraction <= 1, "need clients and a fraction in (0, 1]")
        let selected = max(1, min(clientCount, Int((fraction * Double(clientCount)).rounded())))
        guard selected < clientCount else { return Array(0..<clientCount) }
        var order = Array(0..<clientCount)
        var generator = Xoshiro256StarStar(seed: seed, stream: "participation/\(round)")
        generator.shuffle(&order)
        return order.prefix(selected).sorted()
    }
}
