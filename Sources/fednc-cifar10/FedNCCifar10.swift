import ArgumentParser
import CommandSupport
import CompositeCommandOptions
import DataManifests
import Foundation
import Preparation
import RawDatasets

/// `fednc-cifar10 --raw PATH --out DIR`: converts the CIFAR-10 binary version into a prepared dataset.
@main
enum Main {
    static func main() {
        InterruptCleanup.install()
        FedNCCifar10.runMain()
    }
}

struct FedNCCifar10: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fednc-cifar10",
        abstract: "Convert CIFAR-10 (binary version) into a prepared dataset, with pairwise composite multi-label images.",
        discussion: """
        Sources: train = data_batch_1..4, val = data_batch_5, test = test_batch. Composites (default): canvas 64x64, \
        singles S per class then P pairs per class pair, per datasets.md. Output: train/val/test.safetensors + dataset.json.
        """)

    @Option(name: .long, help: "The folder cifar-10-batches-bin/ or cifar-10-binary.tar.gz (read directly).")
    var raw: String

    @Option(name: .long, help: "The prepared dataset folder to create (must not exist or be empty).")
    var out: String

    @OptionGroup var options: CompositeConversionOptions

    @Option(name: .long, help: "Expected md5 of the tarball ('published' for c32a1d4ab5d03f1284b67883e8d87530).")
    var md5: String?

    @Flag(name: .long, help: "Accept batches of any whole number of records (fednc-samples data); published batches hold 10,000.")
    var allowShortBatches = false

    @OptionGroup var progress: ProgressOptions

    func run() throws {
        try PreparationPipeline.checkOutputAvailable(URL(fileURLWithPath: out))
        let expectedMD5 = md5 == "published" ? CIFAR10Archive.publishedTarballMD5 : md5
        let archive = try CIFAR10Archive(path: raw, allowShortBatches: allowShortBatches, expectedMD5: expectedMD5)
        let composite = options.resolved(defaultMode: .pairwise, manifest: try? DatasetManifest.named("cifar10"),
                                         fallbackSingles: CIFAR10Conversion.defaultSinglesPerClass,
                                         fallbackPairs: CIFAR10Conversion.defaultPairsPerCombination)
        var (request, warnings) = try CIFAR10Conversion.makeRequest(
            archive: archive, composite: composite, output: URL(fileURLWithPath: out), workers: options.workers,
            tool: "fednc-cifar10", toolVersion: fedncToolVersion,
            extraFlags: ["allow-short-batches": String(allowShortBatches)])
        for warning in warnings { progress.warn(warning) }
        request.progress = SplitProgressDisplay(options: progress).callback
        let summary = try PreparationPipeline.run(request)
        for warning in summary.warnings { progress.warn(warning) }
        if !progress.quiet { print(summary.report()) }
    }
}
