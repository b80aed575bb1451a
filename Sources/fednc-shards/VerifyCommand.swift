import ArgumentParser
import CommandSupport
import Foundation
import Partitioning

/// `fednc-shards verify`: exit 0 only when the folder is exactly what its manifest says.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-hash every file of a shards folder and re-run its partition; list every difference.")

    @Argument(help: "Shards folder.")
    var shards: String

    @Option(name: .long, help: ArgumentHelp(
        "The prepared dataset folder, when the shards folder (or the dataset) was moved or copied.",
        discussion: "Default: the folder partition.json records (relative to the shards folder), else a folder of "
            + "that name inside or beside the shards folder whose dataset.json matches.",
        valueName: "dir"))
    var dataset: String?

    @Option(name: .long, help: "Threads hashing files and re-creating shards.")
    var workers = min(4, ProcessInfo.processInfo.activeProcessorCount)

    func run() throws {
        let report: ShardVerifier.Report
        do {
            report = try ShardVerifier(shardsFolder: URL(fileURLWithPath: shards), datasetFolder: dataset.map { URL(fileURLWithPath: $0) },
                                   workers: max(1, workers)).verify()
        } catch {
            throw ShardCommandError.shard(error)
        }
        for line in report.differences { print("differs: \(line)") }
        guard report.differences.isEmpty else {
            throw ShardCommandError.verificationFailed(folder: shards, count: report.differences.count)
        }
        print("ok: \(shards) matches partition.json (\(report.filesHashed) files hashed, partition re-run)")
    }
}
