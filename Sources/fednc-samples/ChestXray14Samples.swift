import ArgumentParser
import Foundation
import SampleData

/// `fednc-samples chestxray14`: a small NIH ChestX-ray14-format dataset.
struct ChestXray14Samples: SampleDatasetCommand {
    static let configuration = CommandConfiguration(
        commandName: "chestxray14",
        abstract: "ChestX-ray14 layout: Data_Entry_2017_v2020.csv (real header), train_val_list.txt, test_list.txt, "
            + "8-bit gray, RGBA and 16-bit PNGs in images_00X/images/.")
    @OptionGroup var options: SampleOptions
    @Option(name: .long, parsing: .unconditional, help: "Number of PNGs (default: 8 x --per-class, or 80).")
    var images: Int?
    @Option(name: .long, parsing: .unconditional, help: "Image side in pixels (the real dataset: 1024).")
    var size = 128
    @Option(name: .long, parsing: .unconditional, help: "PNG compression level 0-9.")
    var compression = 6

    func validate() throws {
        guard size >= 32 else { throw ValidationError("--size must be at least 32") }
        guard (0...9).contains(compression) else { throw ValidationError("--compression must be 0-9") }
        if let images, images < 4 { throw ValidationError("--images must be at least 4") }
    }

    /// `perClass` p gives 8p images (default p = 10).
    static func writeSamples(to output: URL, perClass: Int?, seed: UInt64) throws -> [String] {
        let options = ChestXray14SampleOptions(imageCount: 8 * (perClass ?? 10), seed: seed)
        return [try ChestXray14SampleGenerator.write(to: output, options: options).path]
    }

    func run() throws {
        let sampleOptions = ChestXray14SampleOptions(imageCount: images ?? 8 * (options.perClass ?? 10), size: size,
                                                     seed: options.seed, compressionLevel: compression)
        print(try ChestXray14SampleGenerator.write(to: URL(fileURLWithPath: options.out), options: sampleOptions).path)
    }
}
