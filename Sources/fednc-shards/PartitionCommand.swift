import ArgumentParser
import CommandSupport
import Foundation
import Partitioning

/// `fednc-shards partition`: writes `client-NNN.safetensors` and `partition.json`.
struct PartitionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partition",
        abstract: "Partition a prepared dataset's training split into client shards (algorithm partition/1).")

    @Option(name: .long, help: "Prepared dataset folder (train/val/test.safetensors, dataset.json).")
    var dataset: String

    @Option(name: .long, help: "Shards folder to create (refused if it holds a different partition).")
    var out: String

    @Option(name: .long, help: "Number of clients M.")
    var clients = 10

    @Option(name: .long, help: "Dirichlet concentration (> 0, or 'inf' for proportional quotas).")
    var alpha: Concentration

    @Option(name: .long, help: "Fraction of the classes each client holds, in (0, 1].")
    var rho: Double

    @Option(name: .long, help: "Seed of every random stream.")
    var seed: UInt64

    @Option(name: .customLong("absent-labels"),
            help: "drop | mask: samples no holder of their rarest class covers (drop: left out, with a warning; mask: kept, labels outside the client's classes cleared).")
    var absentLabels: AbsentLabelPolicy = .drop

    @Option(name: .customLong("empty-labels"), help: "spread | drop: samples without labels.")
    var emptyLabels: EmptyLabelPolicy = .spread

    @Option(name: .customLong("min-client-size"), help: "Every client needs at least this many samples.")
    var minClientSize = 1

    @Option(name: .long, help: "Threads writing shards (output bytes never depend on it).")
    var workers = min(4, ProcessInfo.processInfo.activeProcessorCount)

    @OptionGroup var progress: ProgressOptions

    var parameters: PartitionParameters {
        PartitionParameters(clients: clients, alpha: alpha.value, rho: rho, seed: seed, absentLabels: absentLabels,
                            emptyLabels: emptyLabels, minClientSize: minClientSize)
    }

    func validate() throws {
        do {
            try parameters.validate()
        } catch {
            throw ValidationError(error.description)
        }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
    }

    func run() throws {
        let reporter = progress.makeReporter(label: "shards", total: clients, unit: "shards")
        let writer = ShardsFolderWriter(datasetFolder: URL(fileURLWithPath: dataset),
                                        shardsFolder: URL(fileURLWithPath: out), parameters: parameters,
                                        workers: workers)
        let start = DispatchTime.now().uptimeNanoseconds
        let outcome: ShardsFolderWriter.Outcome
        do {
            outcome = try writer.write { done, _ in reporter.update(completed: done) }
        } catch {
            throw ShardCommandError.shard(error)
        }
        reporter.finish()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let manifest = outcome.manifest
        if outcome.wroteFiles {
            print("wrote \(manifest.clients.count) shards to \(out) in \(String(format: "%.2f", seconds)) s "
                + "(attempt \(manifest.attemptUsed); kept \(manifest.totals.kept) of \(manifest.totals.samples), "
                + "dropped \(manifest.totals.dropped), masked labels \(manifest.maskedLabels))")
            if let warning = manifest.droppedSamplesWarning { progress.warn(warning) }
            let phases = outcome.seconds
            let rate = phases.hashAndWrite > 0 ? Double(outcome.imageByteCount) / phases.hashAndWrite / 1e9 : 0
            progress.detail("timing: read labels + partition \(String(format: "%.3f", phases.partition)) s, hash inputs + "
                + "write shards \(String(format: "%.3f", phases.hashAndWrite)) s (\(outcome.imageByteCount) image "
                + "bytes written, \(String(format: "%.2f", rate)) GB/s)")
        } else {
            print("\(out) already holds this partition; nothing written")
        }
    }
}

/// `--alpha`: a positive number or `inf`.
struct Concentration: ExpressibleByArgument {
    let value: Double

    init?(argument: String) {
        if ["inf", "infinity", "Inf"].contains(argument) {
            value = .infinity
        } else if let number = Double(argument), number.isFinite {
            value = number
        } else {
            return nil
        }
    }
}

extension AbsentLabelPolicy: ExpressibleByArgument {}
extension EmptyLabelPolicy: ExpressibleByArgument {}
