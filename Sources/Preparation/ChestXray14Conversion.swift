import DataManifests
import Foundation
import RawDatasets

/// Converts a NIH ChestX-ray14 folder into a prepared dataset: `test` = `test_list.txt`, `train`/`val` from
/// `train_val_list.txt` with validation carved by patient (`ChestXray14PatientSplit`); without the lists, a
/// seeded patient-wise split with the official test proportion (and a warning). Every PNG is decoded to one gray
/// channel and resized to `size` x `size` (Pillow BILINEAR). Tensors: `images` U8 [N, S, S, 1], `labels` U8
/// [N, 14], `sources` I64 [N, 2] = (0-based data row in the label CSV, -1).
public enum ChestXray14Conversion {
    /// The warning printed when the official lists are absent.
    public static let missingListsWarning = "train_val_list.txt and test_list.txt not found: using a seeded "
        + "patient-wise split with the official test proportion (25,596 of 112,120); results are not comparable "
        + "with papers using the official split"

    /// The 14 class names from data-manifests (`chestxray14.json`).
    public static func manifestClassNames() throws -> [String] {
        try DatasetManifest.named("chestxray14").classNames
    }

    /// Reads the CSV and lists and splits by patient (no pixels); returns the checked plan. `classNames`: label
    /// order (normally `manifestClassNames()`).
    public static func plan(_ options: ChestXray14ConversionOptions, classNames: [String], tool: String,
                            toolVersion: String) throws -> ImageConversionPlan {
        guard options.size > 0 && options.size <= 4096 else {
            throw PreparationError.invalidOption("--size \(options.size): give a side between 1 and 4096 pixels")
        }
        guard options.validationFraction >= 0 && options.validationFraction < 1 else {
            throw PreparationError.invalidOption("--val-fraction \(options.validationFraction): give a value in [0, 1)")
        }
        try PreparationPipeline.checkOutputAvailable(options.output)  // before reading any input
        let root = options.root.standardizedFileURL
        let dataset = try ChestXray14Dataset(root: root, classNames: classNames)
        let splits = try dataset.splits(validationFraction: options.validationFraction, seed: options.seed)
        let producers = [("train", splits.training), ("val", splits.validation), ("test", splits.test)].map {
            ChestXray14SplitProducer(splitName: $0.0, records: $0.1, root: root, size: options.size)
        }
        let labelFile = URL(fileURLWithPath: dataset.labelTable.path)
        var rawInputs = [try RawInputs.digest(of: labelFile, name: labelFile.lastPathComponent)]
        if splits.usedOfficialLists {
            for name in [ChestXray14Dataset.trainValidationListName, ChestXray14Dataset.testListName] {
                rawInputs.append(try RawInputs.digest(of: root.appendingPathComponent(name), name: name))
            }
        }
        let layout = PreparedLayout(height: options.size, width: options.size, channels: 1,
                                    classCount: classNames.count)
        let flags = ["size": "\(options.size)", "val-fraction": "\(options.validationFraction)",
                     "skip-bad": "\(options.skipBad)", "split": splits.usedOfficialLists ? "official" : "seeded"]
        let request = PreparationRequest(
            datasetName: "chestxray14", classNames: classNames, layout: layout, splits: producers,
            output: options.output, workers: options.workers, skipBadRecords: options.skipBad, tool: tool,
            toolVersion: toolVersion, flags: flags, seed: options.seed, rawInputs: rawInputs)
        return ImageConversionPlan(request: request, warnings: splits.usedOfficialLists ? [] : [missingListsWarning],
                                   digests: producers.map(\.digests), digestLabel: "images")
    }
}
