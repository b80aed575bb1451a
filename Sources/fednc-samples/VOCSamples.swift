import ArgumentParser
import Foundation
import SampleData

/// `fednc-samples voc`: a small PASCAL VOC-format dataset (VOCdevkit/VOC2012).
struct VOCSamples: SampleDatasetCommand {
    static let configuration = CommandConfiguration(
        commandName: "voc",
        abstract: "VOCdevkit/VOC2012 with baseline, progressive and grayscale JPEGs, XML (difficult objects, nested "
            + "parts) and ImageSets/Main lists.")
    @OptionGroup var options: SampleOptions
    @Option(name: .long, parsing: .unconditional, help: "Images in train.txt (default: 6 x --per-class, or 60).")
    var train: Int?
    @Option(name: .long, parsing: .unconditional, help: "Images in val.txt (default: 4 x --per-class, or 40).")
    var val: Int?
    @Option(name: .long, parsing: .unconditional, help: "Image width in pixels.")
    var width = 128
    @Option(name: .long, parsing: .unconditional, help: "Image height in pixels.")
    var height = 96

    func validate() throws {
        guard width >= 32 && height >= 32 else { throw ValidationError("--width and --height must be at least 32") }
        if let train, train <= 0 { throw ValidationError("--train must be positive") }
        if let val, val <= 0 { throw ValidationError("--val must be positive") }
    }

    /// `perClass` p gives 6p train and 4p val images (about p objects per class over both; default p = 10).
    static func writeSamples(to output: URL, perClass: Int?, seed: UInt64) throws -> [String] {
        let perClass = perClass ?? 10
        return try write(to: output, options: VOCSampleOptions(trainCount: 6 * perClass, validationCount: 4 * perClass,
                                                               seed: seed))
    }

    static func write(to output: URL, options: VOCSampleOptions) throws -> [String] {
        [try VOCSampleGenerator.write(to: output, options: options).path]
    }

    func run() throws {
        let perClass = options.perClass ?? 10
        let sampleOptions = VOCSampleOptions(trainCount: train ?? 6 * perClass, validationCount: val ?? 4 * perClass,
                                             width: width, height: height, seed: options.seed)
        for path in try Self.write(to: URL(fileURLWithPath: options.out), options: sampleOptions) { print(path) }
    }
}
