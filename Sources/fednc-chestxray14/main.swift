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
    @Option(name: .long, help: "Output side in pixels.")
    var size = 224
    @Option(name: .long, help: "Share of train_val carved out as validation (by patient), in [0, 1).")
    var valFraction = 0.1
    @Option(name: .long, help: "Seed of the patient-wise carving.")
    var seed: UInt64 = 0
    @Option(name: .long, help: "Decoding threads (the output is identical for any value).")
    var workers = 1
    @Flag(name: .long, help: "Skip undecodable or missing PNGs (listed in dataset.json) instead of stopping.")
    var skipBad = false
    @OptionGroup var progress: ProgressOptions

    func validate() throws {
        guard size >= 1 && size <= 4096 else { throw ValidationError("--size must be between 1 and 4096") }
        guard valFraction >= 0 && valFraction < 1 else { throw ValidationError("--val-fraction must be in [0, 1)") }
        guard workers >= 1 && workers <= 256 else { throw ValidationError("--workers must be between 1 and 256") }
    }

    func run() throws {
        let options = ChestXray14ConversionOptions(
            root: URL(fileURLWithPath: root), output: URL(fileURLWithPath: out), size: size,
            validationFraction: valFraction, seed: seed, workers: workers, skipBad: skipBad)
        var plan = try ChestXray14Conversion.plan(options, classNames: ChestXray14Conversion.manifestClassNames(),
                                                  tool: "fednc-chestxray14", toolVersion: "1")
        for warning in plan.warnings { StandardError.write("warning: \(warning)\n") }
        plan.request.progress = SplitProgressDisplay(options: progress).callback
        let summary = try plan.run()
        print(summary.report())
    }
}

FedNCChestXray14.runMain()
