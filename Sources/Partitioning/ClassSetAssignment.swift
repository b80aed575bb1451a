import SeededRandom

/// Step 1 of partition.md: which classes each client holds.
///
/// `m = clamp(floor(rho*K + 1e-9), 1, K)`. If `m == K`, every client holds every class and nothing is drawn.
/// Otherwise, with stream `"class-sets"`, client `i = 0..M-1` in order draws `tie = shuffle([0..K-1])`,
/// sets `rank[tie[r]] = r`, orders classes by `(usage[c], rank[c])` ascending and takes the first `m`;
/// their usage grows by 1. Class usage therefore differs by at most 1 between classes.
public enum ClassSetAssignment {
    /// `m`, the number of classes per client.
    public static func classesPerClient(classCount: Int, rho: Double) -> Int {
        precondition(classCount >= 1, "need at least one class")
        let raw = (rho * Double(classCount) + 1e-9).rounded(.down)
        return Int(min(max(raw, 1), Double(classCount)))
    }

    /// The class set of each of `clients` clients, each sorted ascending.
    public static func classSets(classCount: Int, clients: Int, rho: Double, seed: UInt64) -> [[Int]] {
        precondition(clients >= 1, "need at least one client")
        let perClient = classesPerClient(classCount: classCount, rho: rho)
        if perClient == classCount {
            return [[Int]](repeating: Array(0..<classCount), count: clients)
        }
        var generator = Xoshiro256StarStar(seed: seed, stream: "class-sets")
        var usage = [Int](repeating: 0, count: classCount)
        var rank = [Int](repeating: 0, count: classCount)
        var sets = [[Int]]()
        sets.reserveCapacity(clients)
        for _ in 0..<clients {
            var tie = Array(0..<classCount)
            generator.shuffle(&tie)
            for (position, classIndex) in tie.enumerated() { rank[classIndex] = position }
            let ordered = (0..<classCount).sorted { left, right in
                (usage[left], rank[left]) < (usage[right], rank[right])
            }
            let chosen = ordered.prefix(perClient).sorted()
            for classIndex in chosen { usage[classIndex] += 1 }
            sets.append(chosen)
        }
        return sets
    }
}
