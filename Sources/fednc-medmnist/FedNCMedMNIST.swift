import ArgumentParser
import Checksums
import CommandSupport
import CompositeCommandOptions
import DataManifests
import Foundation
import Preparation
import RawDatasets

@main
enum Main {
    static func main() {
        InterruptCleanup.install()
        FedNCMedMNIST.runMain()
    }
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

    @OptionGroup var options: CompositeConversionOptions

    @Flag(name: .long, help: "Check the file's md5 against the published one for its name (see docs/datasets.md).")
    var md5 = false

    @OptionGroup var progress: ProgressOptions

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
        // DermaMNIST (a manifest with composite defaults) converts to composites unless told otherwise.
        let hasCompositeDefaults = manifest.flatMap(CompositeOptions.manifestDefaults) != nil
        let composite = options.resolved(defaultMode: hasCompositeDefaults ? .pairwise : .none, manifest: manifest,
                                         fallbackSingles: MedMNISTConversion.defaultSinglesPerClass,
                                         fallbackPairs: MedMNISTConversion.defaultPairsPerCombination)
        var (request, warnings) = try MedMNISTConversion.makeRequest(
            archive: archive, classNames: manifest?.classNames, rawInputs: input.map { [$0] } ?? [], composite: composite,
            output: URL(fileURLWithPath: out), workers: options.workers, tool: "fednc-medmnist", toolVersion: fedncToolVersion)
        if input == nil {
            let (path, size) = (npz, archive.zip.file.size)
            request.deferredRawInputs = {
                [RawInputDigest(name: fileName, byteCount: size, sha256: try Checksums.sha256(fileAt: URL(fileURLWithPath: path)))]
            }
        }
        for warning in warnings { progress.warn(warning) }
        request.progress = SplitProgressDisplay(options: progress).callback
        let summary = try PreparationPipeline.run(request)
        for warning in summary.warnings { progress.warn(warning) }
        if !progress.quiet { print(summary.report()) }
    }
}
