import SeededRandom

/// Draws composite records exactly as datasets.md "Composite multi-label images" specifies, from the stream
/// `"composite/<split>"` of `seed`.
///
/// Canvas = 2h x 2w, `maxOffset = side / 4` per axis (CIFAR 8, 28-px MedMNIST 7).
/// 1. Singles, for each class ascending: `S` sources (shuffle a copy of the class's indices, take the first
///    `S`; `all` keeps every source in order, no draws). Per source: `corner = uniformInt(2)`,
///    `oy = uniformInt(maxOffset)`, `ox = uniformInt(maxOffset)`; corner 0 puts its top-left at `(oy, ox)`,
///    corner 1 at `(H - h - oy, W - w - ox)`.
/// 2. Pairs, for each `a < b`, `P` times: `ia = poolA[uniformInt(|poolA|)]`, `ib = poolB[uniformInt(|poolB|)]`
///    (pool = every source of the class, ascending), `swap = uniformInt(2)` (1 puts `a` bottom-right), then
///    `oy1, ox1` (top-left image), `oy2, ox2` (bottom-right image).
/// A class with fewer than `S` sources contributes all of them (after the shuffle); a pair with an empty pool
/// is skipped without draws. Both are reported in `shortClasses`.
public enum CompositePlanner {
    public static func plan(classOfSource: [Int], classCount: Int, sourceHeight: Int, sourceWidth: Int,
                            singlesPerClass: SinglesPerClass, pairsPerCombination: Int,
                            seed: UInt64, split: String) -> CompositePlan {
        precondition(sourceHeight >= 4 && sourceWidth >= 4, "sources must be at least 4 x 4 pixels")
        var random = Xoshiro256StarStar(seed: seed, stream: "composite/\(split)")
        let canvasHeight = 2 * sourceHeight
        let canvasWidth = 2 * sourceWidth
        let maxOffsetY = sourceHeight / 4
        let maxOffsetX = sourceWidth / 4
        var pools = Array(repeating: [Int](), count: classCount)
        for (source, label) in classOfSource.enumerated() { pools[label].append(source) }
        var records: [CompositeRecord] = []
        var shortClasses: [(classIndex: Int, available: Int)] = []

        func topLeft(_ oy: Int, _ ox: Int) -> (Int, Int) { (oy, ox) }
        func bottomRight(_ oy: Int, _ ox: Int) -> (Int, Int) { (canvasHeight - sourceHeight - oy, canvasWidth - sourceWidth - ox) }

        for label in 0..<classCount {
            var chosen = pools[label]
            if case let .count(wanted) = singlesPerClass {
                random.shuffle(&chosen)
                if wanted > chosen.count { shortClasses.append((label, chosen.count)) }
                chosen = Array(chosen.prefix(wanted))
            }
            for source in chosen {
                let corner = random.uniformInt(2)
                let oy = random.uniformInt(maxOffsetY)
                let ox = random.uniformInt(maxOffsetX)
                let (top, left) = corner == 0 ? topLeft(oy, ox) : bottomRight(oy, ox)
                records.append(CompositeRecord(classes: [label], placements: [CompositePlacement(source: source, top: top, left: left)],
                                               sources: (Int64(source), -1)))
            }
        }
        guard pairsPerCombination > 0 else {
            return CompositePlan(records: records, canvasHeight: canvasHeight, canvasWidth: canvasWidth, shortClasses: shortClasses)
        }
        for a in 0..<classCount {
            for b in (a + 1)..<max(a + 1, classCount) {
                guard !pools[a].isEmpty, !pools[b].isEmpty else { continue }
                for _ in 0..<pairsPerCombination {
                    let ia = pools[a][random.uniformInt(pools[a].count)]
                    let ib = pools[b][random.uniformInt(pools[b].count)]
                    let swap = random.uniformInt(2)
                    let oy1 = random.uniformInt(maxOffsetY)
                    let ox1 = random.uniformInt(maxOffsetX)
                    let oy2 = random.uniformInt(maxOffsetY)
                    let ox2 = random.uniformInt(maxOffsetX)
                    let (first, second) = swap == 0 ? (ia, ib) : (ib, ia)
                    let (top1, left1) = topLeft(oy1, ox1)
                    let (top2, left2) = bottomRight(oy2, ox2)
                    records.append(CompositeRecord(
                        classes: [a, b],
                        placements: [CompositePlacement(source: first, top: top1, left: left1),
                                     CompositePlacement(source: second, top: top2, left: left2)],
                        sources: (Int64(ia), Int64(ib))))
                }
            }
        }
        return CompositePlan(records: records, canvasHeight: canvasHeight, canvasWidth: canvasWidth, shortClasses: shortClasses)
    }
}
