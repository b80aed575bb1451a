import ArgumentParser
import Checksums
import CommandSupport
import DataManifests
import Foundation
import Preparation
import RawDatasets

@main
enum Main {
    static func main() { FedNCMedMNIST.runMain() }
}

/// `fednc-medmnist --npz FILE --out DIR`: converts a 2D MedMNIST `.npz` into a prepared dataset.
struct FedNCMedMNIST: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fednc-medmnist",
        abstract: "Convert a 2D MedMNIST .npz (28/64/128/224 px, gray or RGB) into a prepared dataset.",
        discussion: """
        Multi-class labels become one-hot, multi-label labels stay multi-hot. DermaMNIST gets pairwise composites \
        by default (S = all, P = 200/50/50); other files none. Class names come from data-manifests by file name.
        """)

    @Option(name: .long, help: "The .npz file, such as dermamnist.npz or dermamnist_224.npz.")
    var npz: String

    @Option(name: .long, help: "The prepared dataset folder to create (must not exist or be empty).")
    var out: String

    @Option(name: .long, help: "pairwise or none (default: pairwise for DermaMNIST, none otherwise).")
    var composite: String?

    @Option(name: .long, help: "Singles per class for train,val,test ('all' or a count; one value for all splits; default from data-manifests, else all).")
    var singlesPerClass: String?

    @Option(name: .long, help: "Pairs per class combination for train,val,test (one value for all splits; default from data-manifests, else 200,50,50).")
    var pairsPerCombination: String?

    @Option(name: .long, help: "Seed of the composite streams \"composite/<split>\".")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Threads producing images (output bytes never depend on it).")
    var workers: Int = 1

    @Flag(name: .long, help: "Check the file's md5 against the published one for its name (see docs/datasets.md).")
    var md5 = false

    @OptionGroup var progress: ProgressOptions

    func validate() throws {
        if let composite, CompositeMode(rawValue: composite) == nil { throw ValidationError("--composite must be pairwise or none") }
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
        let archive = try MedMNISTArchive(path: npz)
        let dataset = MedMNISTConversion.datasetName(forFile: npz)
        let fileName = (npz as NSString).lastPathComponent
        let manifest = DatasetManifest.containingRawFile(named: fileName) ?? (try? DatasetManifest.named(dataset))
        // With --md5 the file is checked before anything is written; otherwise its SHA-256 (for dataset.json) is
        // computed while the splits are written.
        var input: RawInputDigest?
        if md5 {
            let digests = try Checksums.digests(fileAt: URL(fileURLWithPath: npz), algorithms: [.sha256, .md5])
            guard let expected = manifest?.rawFile(named: fileName)?.md5 else {
                throw ValidationError("--md5: data-manifests lists no published md5 for \(fileName)")
            }
            let actual = digests[.md5] ?? ""
            guard actual == expected.lowercased() else {
                throw ChecksumError.mismatch(path: npz, algorithm: .md5, expected: expected.lowercased(), actual: actual)
            }
            input = RawInputDigest(name: fileName, byteCount: archive.zip.file.size, sha256: digests[.sha256] ?? "")
        }
        let defaults = manifest.flatMap(CompositeOptions.manifestDefaults)
        let mode = composite.flatMap(CompositeMode.init(rawValue:)) ?? (defaults != nil ? .pairwise : .none)
        let options = CompositeOptions(
            mode: mode,
            singlesPerClass: singlesPerClass.flatMap(CompositeOptions.parseSingles)
                ?? defaults?.singlesPerClass ?? MedMNISTConversion.defaultSinglesPerClass,
            pairsPerCombination: pairsPerCombination.flatMap(CompositeOptions.parsePairs)
                ?? defaults?.pairsPerCombination ?? MedMNISTConversion.defaultPairsPerCombination,
            seed: seed)
        var (request, warnings) = try MedMNISTConversion.makeRequest(
            archive: archive, classNames: manifest?.classNames, rawInputs: input.map { [$0] } ?? [], composite: options,
            output: URL(fileURLWithPath: out), workers: workers, tool: "fednc-medmnist", toolVersion: fedncToolVersion)
        if input == nil {
            let (path, size) = (npz, archive.zip.file.size)
            request.deferredRawInputs = {
                [RawInputDigest(name: fileName, byteCount: size, sha256: try Checksums.sha256(fileAt: URL(fileURLWithPath: path)))]
            }
        }
        for warning in warnings { StandardError.write("warning: \(warning)\n") }
        request.progress = SplitProgressDisplay(options: progress).callback
        let summary = try PreparationPipeline.run(request)
        if !progress.quiet { print(summary.report()) }
    }
}
