import ArgumentParser
import CommandSupport
import Federation
import Foundation

/// `fednc-train evaluate --run RUN [--split test|validation]`: the best round's model on a split.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a run's best-round model on the test or validation split.")

    @Option(name: .customLong("run"), help: "Run folder written by `fednc-train`.") var runFolder: String
    @Option(help: "test | validation.") var split: FederatedRun.EvaluationSplit = .test

    func run() throws {
        let runURL = URL(fileURLWithPath: runFolder)
        guard FileManager.default.fileExists(atPath: runURL.appendingPathComponent("run.json").path) else {
            throw ValidationError("\(runURL.path) holds no run (no run.json); pass the --out folder of a "
                                  + "`fednc-train` run")
        }
        let configuration = try FederatedRun.readConfiguration(from: runURL)
        try EngineThreadCount.use(configuration.threads)
        let shardFolder = try configuration.shardFolder()
        guard shardFolder.manifestSHA256 == configuration.shardManifestSHA256 else {
            throw TrainingError.dataMismatch("\(configuration.shards)/partition.json changed since the run "
                                             + "(SHA-256 differs from run.json); evaluate with the original shards")
        }
        let metrics = try FederatedRun(configuration: configuration, shards: shardFolder, runURL: runURL)
            .evaluate(split: split)
        func percent(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "n/a" }
        print("| split | macro-AUC | macro-F1 | AUC | F1 |")
        print("|---|---|---|---|---|")
        print("| \(split.rawValue) | \(percent(metrics.macroAUC)) | \(percent(metrics.macroF1)) | "
              + "\(percent(metrics.microAUC)) | \(percent(metrics.microF1)) |")
        if !metrics.classesWithoutAUC.isEmpty {
            print("classes without AUC (one label value only): \(metrics.classesWithoutAUC)")
        }
    }
}

extension FederatedRun.EvaluationSplit: ExpressibleByArgument {}
