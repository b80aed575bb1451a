import Foundation

/// Cross-checks against scikit-learn through `python3` (skipped when it is not installed).
enum PythonCheck {
    struct Reference: Decodable {
        var perClassAUC: [Double]
        var macroAUC: Double
        var microAUC: Double
        var macroF1: Double
        var microF1: Double
    }

    static let hasScikitLearn: Bool = (try? run(["-c", "import sklearn, numpy"], input: Data())) != nil

    /// sklearn's roc_auc_score per class (defined columns), macro over them, micro; f1_score macro/micro of
    /// `scores >= 0.5` with zero_division=0; all in percent.
    static func scikitLearnMetrics(scores: [Float], labels: [Float], classCount: Int) throws -> Reference {
        let script = """
        import json, sys, numpy as np
        from sklearn.metrics import roc_auc_score, f1_score
        d = json.load(sys.stdin); k = \(classCount)
        s = np.array(d["scores"], dtype=np.float64).reshape(-1, k); y = np.array(d["labels"]).reshape(-1, k).astype(int)
        defined = [c for c in range(k) if 0 < y[:, c].sum() < len(y)]
        per = [roc_auc_score(y[:, c], s[:, c]) * 100 for c in defined]
        pred = (s >= 0.5).astype(int)
        print(json.dumps({"perClassAUC": per, "macroAUC": float(np.mean(per)),
            "microAUC": roc_auc_score(y.ravel(), s.ravel()) * 100,
            "macroF1": f1_score(y, pred, average="macro", zero_division=0) * 100,
            "microF1": f1_score(y, pred, average="micro", zero_division=0) * 100}))
        """
        let payload = ["scores": scores.map(Double.init), "labels": labels.map(Double.init)]
        let json = try JSONSerialization.data(withJSONObject: payload)
        let output = try run(["-c", script], input: json)
        return try JSONDecoder().decode(Reference.self, from: output)
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    static func run(_ arguments: [String], input: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "python3 exited \(process.terminationStatus)") }
        return output
    }
}
