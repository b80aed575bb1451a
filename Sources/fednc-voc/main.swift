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
    @Option(name: .long, help: "ImageSets/Main list for train + val.")
    var trainList = "train"
    @Option(name: .long, help: "ImageSets/Main list for test.")
    var testList = "val"
    @OptionGroup var conversion: ResizingConversionOptions
    @OptionGroup var progress: ProgressOptions

    func run() throws {
        let options = VOCConversionOptions(
            root: URL(fileURLWithPath: root), output: URL(fileURLWithPath: out), size: conversion.size,
            trainList: trainList, testList: testList, validationFraction: conversion.valFraction,
            seed: conversion.seed, workers: conversion.workers, skipBad: conversion.skipBad)
        let classNames = try VOCConversion.manifestClassNames(root: options.root)
        var plan = try VOCConversion.plan(options, classNames: classNames, tool: "fednc-voc", toolVersion: "1")
        plan.request.progress = SplitProgressDisplay(options: progress).callback
        let summary = try plan.run()
        for warning in summary.warnings { progress.warn(warning) }
        if !progress.quiet { print(summary.report()) }
    }
}

InterruptCleanup.install()
FedNCVOC.runMain()
