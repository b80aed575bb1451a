import ArgumentParser
import CommandSupport
import Foundation

/// Every dataset `fednc-samples` writes; adding one is one line here.
let sampleDatasets: [any SampleDatasetCommand.Type] = [
    CIFAR10Samples.self,
    DermaMNISTSamples.self,
    VOCSamples.self, ChestXray14Samples.self,
]

struct AllSamples: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all", abstract: "Every sample dataset, each in its own subfolder.")
    @OptionGroup var options: SampleOptions

    func run() throws {
        let root = URL(fileURLWithPath: options.out)
        for dataset in sampleDatasets {
            let folder = root.appendingPathComponent(dataset.configuration.commandName ?? "\(dataset)")
            for path in try dataset.writeSamples(to: folder, perClass: options.perClass, seed: options.seed) { print(path) }
        }
    }
}

struct FedNCSamples: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fednc-samples",
        abstract: "Write small raw datasets in the exact upstream formats (for the demo and the tests).",
        subcommands: sampleDatasets + [AllSamples.self])
}

InterruptCleanup.install()
FedNCSamples.runMain()
