/// Multi-label classification metrics as the paper reports them, all in percent.
///
/// - Per class: ROC AUC (exact, ties at average rank; see `ROCCurve`) and F1 of `score >= 0.5`.
/// - `macroAUC`: mean AUC over the classes that have both positives and negatives; the others are listed in
///   `classesWithoutAUC`. `nil` when no class qualifies.
/// - `microAUC`: AUC of all `samples x classes` pairs flattened into one column (scikit-learn's `average="micro"`).
/// - `macroF1`: mean F1 over all classes (a class with no positives and no predicted positives scores 0, like
///   scikit-learn's `zero_division=0`); `microF1`: `2 TP / (2 TP + FP + FN)` over all pairs.
public struct MultiLabelMetrics: Sendable, Codable, Equatable {
    public var macroAUC: Double?
    public var microAUC: Double?
    public var macroF1: Double
    public var microF1: Double
    /// Per class, percent; `nil` where undefined.
    public var perClassAUC: [Double?]
    /// Per class, percent.
    public var perClassF1: [Double]
    /// Classes left out of `macroAUC` (only one label value present).
    public var classesWithoutAUC: [Int]

    /// Scores (probabilities or any monotone score), `sampleCount x classCount` row-major; labels likewise, 0 or 1.
    public init(scores: [Float], labels: [Float], classCount: Int, threshold: Float = 0.5) {
        precondition(classCount > 0 && scores.count == labels.count && scores.count % classCount == 0,
                     "scores and labels must both be samples x classes")
        let sampleCount = scores.count / classCount
        var perClassAUC = [Double?]()
        var perClassF1 = [Double]()
        var classesWithoutAUC = [Int]()
        var totals = (truePositives: 0, falsePositives: 0, falseNegatives: 0)
        var column = [Float](repeating: 0, count: sampleCount)
        var columnLabels = [Bool](repeating: false, count: sampleCount)
        for classIndex in 0..<classCount {
            var counts = (truePositives: 0, falsePositives: 0, falseNegatives: 0)
            for sample in 0..<sampleCount {
                let score = scores[sample * classCount + classIndex]
                let positive = labels[sample * classCount + classIndex] > 0.5
                column[sample] = score
                columnLabels[sample] = positive
                let predicted = score >= threshold
                if predicted && positive { counts.truePositives += 1 }
                if predicted && !positive { counts.falsePositives += 1 }
                if !predicted && positive { counts.falseNegatives += 1 }
            }
            let auc = ROCCurve.areaUnderCurve(scores: column, isPositive: columnLabels).map { $0 * 100 }
            if auc == nil { classesWithoutAUC.append(classIndex) }
            perClassAUC.append(auc)
            perClassF1.append(Self.f1(counts) * 100)
            totals.truePositives += counts.truePositives
            totals.falsePositives += counts.falsePositives
            totals.falseNegatives += counts.falseNegatives
        }
        let definedAUCs = perClassAUC.compactMap { $0 }
        self.macroAUC = definedAUCs.isEmpty ? nil : definedAUCs.reduce(0, +) / Double(definedAUCs.count)
        self.microAUC = ROCCurve.areaUnderCurve(scores: scores, isPositive: labels.map { $0 > 0.5 }).map { $0 * 100 }
        self.macroF1 = perClassF1.reduce(0, +) / Double(classCount)
        self.microF1 = Self.f1(totals) * 100
        self.perClassAUC = perClassAUC
        self.perClassF1 = perClassF1
        self.classesWithoutAUC = classesWithoutAUC
    }

    /// Macro-AUC with every class counted and undefined ones as 0 (the authors' code): the sum of the defined
    /// per-class AUCs over K. Equals `macroAUC` when every class is defined.
    public var macroAUCUndefinedAsZero: Double? {
        perClassAUC.isEmpty ? nil : perClassAUC.compactMap { $0 }.reduce(0, +) / Double(perClassAUC.count)
    }

    /// Macro-AUC under `convention`.
    public func macroAUC(_ convention: AUCConvention) -> Double? {
        convention == .skipUndefined ? macroAUC : macroAUCUndefinedAsZero
    }

    private static func f1(_ counts: (truePositives: Int, falsePositives: Int, falseNegatives: Int)) -> Double {
        let denominator = 2 * counts.truePositives + counts.falsePositives + counts.falseNegatives
        return denominator == 0 ? 0 : Double(2 * counts.truePositives) / Double(denominator)
    }
}
