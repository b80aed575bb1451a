import ArgumentParser
import CommandSupport
import DataManifests
import Foundation
import Preparation
import RawDatasets

/// `fednc-cifar10 --raw PATH --out DIR`: converts the CIFAR-10 binary version into a prepared dataset.
@main
enum Main {
    static func main() { FedNCCifar10.runMain() }
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

    @Option(name: .long, help: "pairwise (default) or none (plain 32x32 single-label images).")
    var composite: String = "pairwise"

    @Option(name: .long, help: "Singles per class for train,val,test ('all' or a count; one value for all splits; default from data-manifests: 3100,800,800).")
    var singlesPerClass: String?

    @Option(name: .long, help: "Pairs per class combination for train,val,test (one value for all splits; default from data-manifests: 200,50,50).")
    var pairsPerCombination: String?

    @Option(name: .long, help: "Seed of the composite streams \"composite/<split>\".")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Threads producing images (output bytes never depend on it).")
    var workers: Int = 1

    @Option(name: .long, help: "Expected md5 of the tarball ('published' for c32a1d4ab5d03f1284b67883e8d87530).")
    var md5: String?

    @Flag(name: .long, help: "Accept batches of any whole number of records (fednc-samples data); published batches hold 10,000.")
    var allowShortBatches = false

    @OptionGroup var progress: ProgressOptions

    func validate() throws {
        guard CompositeMode(rawValue: composite) != nil else { throw ValidationError("--composite must be pairwise or none") }
        if let singlesPerClass, CompositeOptions.parseSingles(singlesPerClass) == nil {
            throw ValidationError("--singles-per-class takes 'all' or counts, one or three comma-separated (train,val,test)")
        }
        if let pairsPerCombination, CompositeOptions.parsePairs(pairsPerCombination) == nil {
            throw ValidationError("--pairs-per-combination takes counts, one or three comma-separated (train,val,test)")
        }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
    }

    func run() throws {
        try PreparationPipeline.checkOutputAvailable(URL(fileURLWithPath: out))
        let expectedMD5 = md5 == "published" ? CIFAR10Archive.publishedTarballMD5 : md5
        let archive = try CIFAR10Archive(path: raw, allowShortBatches: allowShortBatches, expectedMD5: expectedMD5)
        let defaults = (try? DatasetManifest.named("cifar10")).flatMap(CompositeOptions.manifestDefaults)
        let options = CompositeOptions(
            mode: CompositeMode(rawValue: composite) ?? .pairwise,
            singlesPerClass: singlesPerClass.flatMap(CompositeOptions.parseSingles)
                ?? defaults?.singlesPerClass ?? CIFAR10Conversion.defaultSinglesPerClass,
            pairsPerCombination: pairsPerCombination.flatMap(CompositeOptions.parsePairs)
                ?? defaults?.pairsPerCombination ?? CIFAR10Conversion.defaultPairsPerCombination,
            seed: seed)
        var (request, warnings) = try CIFAR10Conversion.makeRequest(
            archive: archive, composite: options, output: URL(fileURLWithPath: out), workers: workers,
            tool: "fednc-cifar10", toolVersion: fedncToolVersion,
            extraFlags: ["allow-short-batches": String(allowShortBatches)])
        for warning in warnings { StandardError.write("warning: \(warning)\n") }
        request.progress = SplitProgressDisplay(options: progress).callback
        let summary = try PreparationPipeline.run(request)
        if !progress.quiet { print(summary.report()) }
    }
}
