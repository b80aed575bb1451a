import Foundation

/// The final result of a run (`report.json`, rendered as `report.md`): the best validation round and the test
/// metrics of that round's model.
public struct RunReport: Codable, Sendable, Equatable {
    /// The `--method` value.
    public var method: String
    public var dataset: String
    public var classNames: [String]
    public var roundsCompleted: Int
    /// The round with the best validation macro-AUC.
    public var bestRound: Int
    /// The best round's model on the validation split (SphereFed: after calibration).
    public var validation: MultiLabelMetrics
    /// The best round's model on the test split (SphereFed: after calibration).
    public var test: MultiLabelMetrics
    /// True for SphereFed: scores come from the closed-form calibrated classifier.
    public var calibratedClassifier: Bool

    /// ChestX-ray14 is reported by AUC only, as the paper does.
    public var reportsAUCOnly: Bool { dataset.lowercased().contains("chestxray14") }

    /// The paper's display name of `method` (the name itself for an unknown method).
    public static func displayName(_ method: String) -> String {
        (try? MethodRegistry.method(named: method))?.displayName ?? method
    }

    /// Markdown: the paper's table layout (macro-AUC, macro-F1, AUC, F1; AUC only for ChestX-ray14), then
    /// per-class test results.
    public var markdown: String {
        func percent(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "n/a" }
        var lines = ["# \(Self.displayName(method)) on \(dataset)", "",
                     "Best round \(bestRound) of \(roundsCompleted) by validation macro-AUC; test metrics of that round's model"
                         + (calibratedClassifier ? " (SphereFed calibrated classifier)." : "."), ""]
        if reportsAUCOnly {
            lines += ["| Method | Split | AUC |", "|---|---|---|",
                      "| \(Self.displayName(method)) | test | \(percent(test.macroAUC)) |",
                      "| \(Self.displayName(method)) | validation | \(percent(validation.macroAUC)) |"]
        } else {
            lines += ["| Method | Split | macro-AUC | macro-F1 | AUC | F1 |", "|---|---|---|---|---|---|"]
            for (split, metrics) in [("test", test), ("validation", validation)] {
                lines.append("| \(Self.displayName(method)) | \(split) | \(percent(metrics.macroAUC)) | "
                             + "\(percent(metrics.macroF1)) | \(percent(metrics.microAUC)) | \(percent(metrics.microF1)) |")
            }
        }
        let alignment = (try? MethodRegistry.method(named: method))?.trainsWithAlignmentLoss ?? false
        lines += ["", "AUC = micro-AUC, F1 = micro-F1 (over all sample-class pairs); all in percent.",
                  "Training loss: binary cross-entropy with logits summed over the classes, averaged over the batch"
                      + (alignment ? ", plus lambda_rej x rejection + lambda_con x contrastive (FedNCAlign-ML)." : "."),
                  "",
                  "## Per class (test)", "", "| Class | AUC | F1 |", "|---|---|---|"]
        for (index, name) in classNames.enumerated() {
            lines.append("| \(name) | \(percent(test.perClassAUC[index])) | \(percent(test.perClassF1[index])) |")
        }
        for (split, metrics) in [("test", test), ("validation", validation)] where !metrics.classesWithoutAUC.isEmpty {
            let names = metrics.classesWithoutAUC.map { classNames[$0] }.joined(separator: ", ")
            lines += ["", "Left out of \(split) macro-AUC (only one label value present): \(names)."]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
