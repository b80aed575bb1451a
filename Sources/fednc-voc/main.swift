import ArgumentParser
import CommandSupport
import Foundation
import Preparation

/// `fednc-voc`: PASCAL VOC (2012 or 2007) to a prepared dataset (see docs/voc-chestxray14.md).
struct FedNCVOC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fednc-voc",
        abstract: "Convert PASCAL VOC (VOCdevkit/VOC2012 or VOC2007) into train/val/test .safetensors + dataset.json.",
        discussion: """
            train and val come from --train-list (val carved with --val-fraction and --seed), test from \
            --test-list. Every JPEG is decoded to RGB and resized to --size x --size (Pillow BILINEAR). Labels are \
            the 20 classes; a class whose objects in an image are all difficult is 0 in `labels` and 1 in \
            `difficult`. The output folder appears only when complete.
            """)

    @Option(name: .long, help: "The VOC folder holding JPEGImages, Annotations and ImageSets/Main.")
    var root: String
    @Option(name: .long, help: "Prepared dataset folder to create (must not exist or be empty).")
    var out: String
    @Option(name: .long, help: "Output side in pixels.")
    var size = 224
    @Option(name: .long, help: "ImageSets/Main list for train + val.")
    var trainList = "train"
    @Option(name: .long, help: "ImageSets/Main list for test.")
    var testList = "val"
    @Option(name: .long, help: "Share of the training list carved out as validation, in [0, 1).")
    var valFraction = 0.1
    @Option(name: .long, help: "Seed of the validation carving.")
    var seed: UInt64 = 0
    @Option(name: .long, help: "Decoding threads (the output is identical for any value).")
    var workers = 1
    @Flag(name: .long, help: "Skip undecodable or missing JPEGs (listed in dataset.json) instead of stopping.")
    var skipBad = false
    @OptionGroup var progress: ProgressOptions

    func validate() throws {
        guard size >= 1 && size <= 4096 else { throw ValidationError("--size must be between 1 and 4096") }
        guard valFraction >= 0 && valFraction < 1 else { throw ValidationError("--val-fraction must be in [0, 1)") }
        guard workers >= 1 && workers <= 256 else { throw ValidationError("--workers must be between 1 and 256") }
    }

    func run() throws {
        let options = VOCConversionOptions(
            root: URL(fileURLWithPath: root), output: URL(fileURLWithPath: out), size: size, trainList: trainList,
            testList: testList, validationFraction: valFraction, seed: seed, workers: workers, skipBad: skipBad)
        let classNames = try VOCConversion.manifestClassNames(root: options.root)
        var plan = try VOCConversion.plan(options, classNames: classNames, tool: "fednc-voc", toolVersion: "1")
        plan.request.progress = SplitProgressDisplay(options: progress).callback
        let summary = try plan.run()
        print(summary.report())
    }
}

FedNCVOC.runMain()
