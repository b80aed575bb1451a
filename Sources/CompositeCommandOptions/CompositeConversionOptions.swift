import ArgumentParser
import DataManifests
import Preparation

/// The options shared by the converters that build pairwise composites (`fednc-cifar10`, `fednc-medmnist`):
/// the mode, S and P per split, the composite seed and the worker threads. Values left out come from the
/// dataset's manifest (`data-manifests/<dataset>.json`, `composite`), then from the converter's own defaults.
public struct CompositeConversionOptions: ParsableArguments {
    /// `pairwise` or `none`; nil: the converter's default for the dataset.
    @Option(name: .long, help: "pairwise or none (default: pairwise for CIFAR-10 and DermaMNIST, none for other MedMNIST files).")
    public var composite: String?

    /// S per split as text: `all` or a count, once for all splits or three comma-separated (train,val,test).
    @Option(name: .long, help: "Singles per class for train,val,test ('all' or a count; one value for all splits; default from data-manifests).")
    public var singlesPerClass: String?

    /// P per split as text: a count, once or three comma-separated.
    @Option(name: .long, help: "Pairs per class combination for train,val,test (one value for all splits; default from data-manifests).")
    public var pairsPerCombination: String?

    /// Seed of the composite streams `composite/<split>`; default 0.
    @Option(name: .long, parsing: .unconditional, help: "Seed of the composite streams \"composite/<split>\".")
    public var seed: UInt64 = 0

    /// Threads producing images, at least 1 (default 1); the output bytes never depend on it.
    @Option(name: .long, parsing: .unconditional, help: "Threads producing images (output bytes never depend on it).")
    public var workers: Int = 1

    public init() {}

    public func validate() throws {
        if let composite, CompositeMode(rawValue: composite) == nil { throw ValidationError("--composite must be pairwise or none") }
        if let singlesPerClass, CompositeOptions.parseSingles(singlesPerClass) == nil {
            throw ValidationError("--singles-per-class takes 'all' or counts, one or three comma-separated (train,val,test)")
        }
        if let pairsPerCombination, CompositeOptions.parsePairs(pairsPerCombination) == nil {
            throw ValidationError("--pairs-per-combination takes counts, one or three comma-separated (train,val,test)")
        }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
    }

    /// The composite settings: each value given on the command line, else `manifest`'s composite defaults, else
    /// `fallbackSingles` / `fallbackPairs`; the mode given, else `defaultMode`.
    public func resolved(defaultMode: CompositeMode, manifest: DatasetManifest?, fallbackSingles: [SinglesPerClass],
                         fallbackPairs: [Int]) -> CompositeOptions {
        let defaults = manifest.flatMap(CompositeOptions.manifestDefaults)
        return CompositeOptions(
            mode: composite.flatMap(CompositeMode.init(rawValue:)) ?? defaultMode,
            singlesPerClass: singlesPerClass.flatMap(CompositeOptions.parseSingles) ?? defaults?.singlesPerClass ?? fallbackSingles,
            pairsPerCombination: pairsPerCombination.flatMap(CompositeOptions.parsePairs) ?? defaults?.pairsPerCombination ?? fallbackPairs,
            seed: seed)
    }
}
