import Federation
import Foundation
import SeededRandom
import Testing

@Suite("Metrics")
struct MetricsTests {
    @Test("AUC by hand: no ties, ties across classes, undefined columns")
    func handComputedAUC() throws {
        #expect(ROCCurve.areaUnderCurve(scores: [0.1, 0.4, 0.35, 0.8], isPositive: [false, false, true, true]) == 0.75)
        // Pairs (pos, neg): (0.5, 0.5) = 1/2, (0.5, 0.2) = 1, (0.9, 0.5) = 1, (0.9, 0.2) = 1 -> 3.5 / 4.
        #expect(ROCCurve.areaUnderCurve(scores: [0.5, 0.5, 0.2, 0.9], isPositive: [true, false, false, true]) == 0.875)
        #expect(ROCCurve.areaUnderCurve(scores: [1, 1, 1], isPositive: [true, false, true]) == 0.5)
        #expect(ROCCurve.areaUnderCurve(scores: [0.3, 0.7], isPositive: [true, true]) == nil)
    }

    @Test("Macro/micro AUC and F1 by hand, skipped classes listed")
    func handComputedSummary() {
        // 4 samples x 3 classes; class 2 has no positives.
        let scores: [Float] = [0.9, 0.2, 0.1,
                               0.6, 0.7, 0.4,
                               0.3, 0.8, 0.6,
                               0.2, 0.1, 0.3]
        let labels: [Float] = [1, 0, 0,
                               1, 1, 0,
                               0, 0, 0,
                               0, 1, 0]
        let metrics = MultiLabelMetrics(scores: scores, labels: labels, classCount: 3)
        #expect(metrics.classesWithoutAUC == [2])
        #expect(metrics.perClassAUC[0] == 100)
        // Class 1: positives 0.7, 0.1; negatives 0.2, 0.8 -> (1 + 0 + 0 + 0) / 4.
        #expect(metrics.perClassAUC[1] == 25)
        #expect(metrics.macroAUC == 62.5)
        // Class 0: TP 2 -> F1 1. Class 1: TP 1 (0.7), FP 1 (0.8), FN 1 (0.1) -> 2/4. Class 2: FP 1 -> 0.
        #expect(metrics.perClassF1 == [100, 50, 0])
        #expect(metrics.macroF1 == 50)
        // Micro: TP 3, FP 2, FN 1 -> 6 / 9.
        #expect(abs(metrics.microF1 - 600.0 / 9) < 1e-12)
        // Micro AUC: 4 positives {0.9, 0.6, 0.7, 0.1}, 8 negatives {0.2, 0.1, 0.4, 0.3, 0.8, 0.6, 0.2, 0.3}.
        // 0.9 beats 8; 0.7 beats 7; 0.6 beats 6 and ties 1 -> 6.5; 0.1 ties 1 -> 0.5. (8 + 7 + 6.5 + 0.5) / 32.
        #expect(metrics.microAUC == 2200.0 / 32)
    }

    @Test("Matches scikit-learn on random scores with ties", .enabled(if: PythonCheck.hasScikitLearn))
    func matchesScikitLearn() throws {
        var generator = Xoshiro256StarStar(seed: 11, stream: "metrics-test")
        let sampleCount = 301, classCount = 6
        var scores = [Float](), labels = [Float]()
        for _ in 0..<sampleCount {
            for classIndex in 0..<classCount {
                // Scores on a coarse grid (many ties); class 5 never positive.
                scores.append(Float(generator.uniformInt(21)) / 20)
                let rate = classIndex == 5 ? 0 : 0.1 + 0.15 * Double(classIndex)
                labels.append(generator.uniform() < rate ? 1 : 0)
            }
        }
        let metrics = MultiLabelMetrics(scores: scores, labels: labels, classCount: classCount)
        let reference = try PythonCheck.scikitLearnMetrics(scores: scores, labels: labels, classCount: classCount)
        #expect(metrics.classesWithoutAUC == [5])
        for classIndex in 0..<5 {
            let ours = try #require(metrics.perClassAUC[classIndex])
            #expect(abs(ours - reference.perClassAUC[classIndex]) < 1e-9)
        }
        #expect(abs((metrics.macroAUC ?? 0) - reference.macroAUC) < 1e-9)
        #expect(abs((metrics.microAUC ?? 0) - reference.microAUC) < 1e-9)
        #expect(abs(metrics.macroF1 - reference.macroF1) < 1e-9)
        #expect(abs(metrics.microF1 - reference.microF1) < 1e-9)
    }

    @Test("100k x 14 metrics take well under a second")
    func isFast() {
        var generator = Xoshiro256StarStar(seed: 3, stream: "metrics-speed")
        let count = 100_000 * 14
        let scores = (0..<count).map { _ in Float(generator.uniform()) }
        let labels = (0..<count).map { _ in generator.uniform() < 0.1 ? Float(1) : 0 }
        let started = Date()
        let metrics = MultiLabelMetrics(scores: scores, labels: labels, classCount: 14)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(abs((metrics.macroAUC ?? 0) - 50) < 1)
    }
}
