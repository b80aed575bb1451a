import ArgumentParser
import Foundation
import SampleData

/// A dataset that `fednc-samples` can write; `fednc-samples all` runs every one of them.
protocol SampleDatasetCommand: ParsableCommand {
    /// Writes the dataset under `output` and returns the paths written.
    static func writeSamples(to output: URL, perClass: Int?, seed: UInt64) throws -> [String]
}

/// Options every sample dataset takes.
struct SampleOptions: ParsableArguments {
    @Option(name: .long, help: "Folder to write into (created if missing).")
    var out: String

    @Option(name: .long, help: ArgumentHelp(
        "Images per class (per batch for CIFAR-10; 1000 gives full-size batches).",
        discussion: "Default: \(CIFAR10SampleWriter.defaultPerClass) for CIFAR-10, \(DermaMNISTSampleWriter.defaultPerClass) "
            + "for DermaMNIST, 10 for VOC and ChestX-ray14."))
    var perClass: Int?

    @Option(name: .long, help: "Seed of the sample generator.")
    var seed: UInt64 = 0

    func validate() throws {
        if let perClass, perClass <= 0 { throw ValidationError("--per-class must be positive") }
    }
}

extension SampleDatasetCommand {
    static func run(options: SampleOptions) throws {
        let paths = try writeSamples(to: URL(fileURLWithPath: options.out), perClass: options.perClass, seed: options.seed)
        for path in paths { print(path) }
    }
}

struct CIFAR10Samples: SampleDatasetCommand {
    static let configuration = CommandConfiguration(
        commandName: "cifar10",
        abstract: "CIFAR-10 binary batches (+ batches.meta.txt) and cifar-10-binary.tar.gz; short batches unless --per-class 1000.")
    @OptionGroup var options: SampleOptions

    static func writeSamples(to output: URL, perClass: Int?, seed: UInt64) throws -> [String] {
        try CIFAR10SampleWriter.write(to: output, perClass: perClass ?? CIFAR10SampleWriter.defaultPerClass, seed: seed)
    }

    func run() throws { try Self.run(options: options) }
}

struct DermaMNISTSamples: SampleDatasetCommand {
    static let configuration = CommandConfiguration(
        commandName: "dermamnist", abstract: "A DermaMNIST-like dermamnist.npz (DEFLATE members, 7 classes, RGB).")
    @OptionGroup var options: SampleOptions
    @Option(name: .long, help: "Image side in pixels (28, 64, 128 or 224).")
    var size: Int = 28

    func validate() throws {
        guard [28, 64, 128, 224].contains(size) else { throw ValidationError("--size must be 28, 64, 128 or 224") }
    }

    static func writeSamples(to output: URL, perClass: Int?, seed: UInt64) throws -> [String] {
        try writeSamples(to: output, perClass: perClass, seed: seed, side: 28)
    }

    static func writeSamples(to output: URL, perClass: Int?, seed: UInt64, side: Int) throws -> [String] {
        [try DermaMNISTSampleWriter.write(to: output, perClass: perClass ?? DermaMNISTSampleWriter.defaultPerClass,
                                          side: side, seed: seed)]
    }

    func run() throws {
        let paths = try Self.writeSamples(to: URL(fileURLWithPath: options.out), perClass: options.perClass,
                                          seed: options.seed, side: size)
        for path in paths { print(path) }
    }
}
