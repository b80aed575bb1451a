import ArgumentParser
import CommandSupport
import Foundation
import Preparation

/// `fednc-chestxray14`: NIH ChestX-ray14 to a prepared dataset (see docs/voc-chestxray14.md).
struct FedNCChestXray14: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fednc-chestxray14",
        abstract: "Convert NIH ChestX-ray14 into train/val/test .safetensors (1 gray channel) + dataset.json.",
        discussion: """
            test = test_list.txt; train and val from train_val_list.txt, val carved BY PATIENT with --val-fraction \
            and --seed. Without the lists: a seeded patient-wise split with the official proportions (warned). \
            PNGs (8-bit gray, RGBA, 16-bit) become one gray channel (luma, alpha ignored) resized to --size \
            (Pillow BILINEAR). The output folder appears only when complete.
            """)

    @Option(name: .long, help: "Folder with Data_Entry_2017(_v2020).csv, the lists and images/ or images_0XX/images/.")
    var root: String
    @Option(name: .long, help: "Prepared dataset folder to create (must not exist or be empty).")
    var out: String
    @OptionGroup var conversion: ResizingConversionOptions
    @OptionGroup var progress: ProgressOptions

    func run() throws {
        let options = ChestXray14ConversionOptions(
            root: URL(fileURLWithPath: root), output: URL(fileURLWithPath: out), size: conversion.size,
            validationFraction: conversion.valFraction, seed: conversion.seed, workers: conversion.workers, skipBad: conversion.skipBad)
        var plan = try ChestXray14Conversion.plan(options, classNames: ChestXray14Conversion.manifestClassNames(),
                                                  tool: "fednc-chestxray14", toolVersion: "1")
        for warning in plan.warnings { progress.warn(warning) }
        plan.request.progress = SplitProgressDisplay(options: progress).callback
        let summary = try plan.run()
        for warning in summary.warnings { progress.warn(warning) }
        if !progress.quiet { print(summary.report()) }
    }
}

InterruptCleanup.install()
FedNCChestXray14.runMain()
