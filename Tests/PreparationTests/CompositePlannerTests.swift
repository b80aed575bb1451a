import Preparation
import Testing

/// The literals below were derived independently of `CompositePlanner`: by tools/fixtures/composite_reference.py,
/// a from-the-spec-text Python implementation of partition.md "Random numbers" (SplitMix64, xoshiro256**,
/// FNV-1a streams, modulo uniformInt, shuffle from the back) and datasets.md "Composite multi-label images".
@Suite("Composite planning")
struct CompositePlannerTests {
    /// Sources 0..9 with classes 0,1,2,0,1,2,0,1,2,0 (pools: 0 -> [0,3,6,9], 1 -> [1,4,7], 2 -> [2,5,8]).
    let classes = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0]

    private func single(_ label: Int, _ source: Int, _ top: Int, _ left: Int) -> CompositeRecord {
        CompositeRecord(classes: [label], placements: [CompositePlacement(source: source, top: top, left: left)],
                        sources: (Int64(source), -1))
    }

    private func pair(_ a: Int, _ b: Int, sources: (Int, Int), first: (Int, Int, Int), second: (Int, Int, Int)) -> CompositeRecord {
        CompositeRecord(classes: [a, b],
                        placements: [CompositePlacement(source: first.0, top: first.1, left: first.2),
                                     CompositePlacement(source: second.0, top: second.1, left: second.2)],
                        sources: (Int64(sources.0), Int64(sources.1)))
    }

    @Test("seed 42, split train, 32 px, S = 2, P = 1: pinned records")
    func pinnedCIFARSized() {
        let plan = CompositePlanner.plan(classOfSource: classes, classCount: 3, sourceHeight: 32, sourceWidth: 32,
                                         singlesPerClass: .count(2), pairsPerCombination: 1, seed: 42, split: "train")
        #expect(plan.canvasHeight == 64 && plan.canvasWidth == 64)
        let expected: [CompositeRecord] = [
            single(0, 3, 27, 29), single(0, 0, 29, 25), single(1, 7, 28, 25), single(1, 4, 32, 26),
            single(2, 8, 3, 1), single(2, 5, 31, 29),
            pair(0, 1, sources: (6, 1), first: (6, 4, 5), second: (1, 27, 26)),
            pair(0, 2, sources: (6, 2), first: (2, 1, 3), second: (6, 27, 29)),
            pair(1, 2, sources: (7, 5), first: (5, 2, 7), second: (7, 30, 32)),
        ]
        #expect(plan.records == expected)
        #expect(plan.shortClasses.isEmpty)
    }

    @Test("seed 7, split val, 28 px, S = all: sources in order, first five pinned")
    func pinnedAllSingles() {
        let plan = CompositePlanner.plan(classOfSource: classes, classCount: 3, sourceHeight: 28, sourceWidth: 28,
                                         singlesPerClass: .all, pairsPerCombination: 1, seed: 7, split: "val")
        #expect(Array(plan.records.prefix(5)) == [single(0, 0, 0, 6), single(0, 3, 1, 6), single(0, 6, 3, 1),
                                                  single(0, 9, 1, 4), single(1, 1, 0, 6)])
        #expect(plan.records.count == 10 + 3)
    }

    @Test("offsets stay within maxOffset = side / 4 of their corner; the stream depends on the split name")
    func offsetsAndStreams() {
        let many = (0..<200).map { $0 % 4 }
        let plan = CompositePlanner.plan(classOfSource: many, classCount: 4, sourceHeight: 28, sourceWidth: 28,
                                         singlesPerClass: .count(50), pairsPerCombination: 30, seed: 3, split: "train")
        for placement in plan.records.flatMap(\.placements) {
            let nearTop = placement.top < 7, nearBottom = placement.top > 28 - 7
            #expect(nearTop || nearBottom)
            #expect((0..<7).contains(placement.top) || (22...28).contains(placement.top))
            #expect((0..<7).contains(placement.left) || (22...28).contains(placement.left))
        }
        for record in plan.records where record.classes.count == 2 {
            #expect(record.placements[0].top < 7 && record.placements[1].top > 21)
        }
        let other = CompositePlanner.plan(classOfSource: many, classCount: 4, sourceHeight: 28, sourceWidth: 28,
                                          singlesPerClass: .count(50), pairsPerCombination: 30, seed: 3, split: "test")
        #expect(other.records != plan.records)
        #expect(plan.records.count == 200 + 6 * 30)
    }

    @Test("a class with fewer sources than S contributes all of them and is reported")
    func shortClasses() {
        let plan = CompositePlanner.plan(classOfSource: [0, 0, 1], classCount: 2, sourceHeight: 8, sourceWidth: 8,
                                         singlesPerClass: .count(2), pairsPerCombination: 0, seed: 1, split: "train")
        #expect(plan.records.count == 3)
        #expect(plan.shortClasses.map(\.classIndex) == [1])
    }
}
