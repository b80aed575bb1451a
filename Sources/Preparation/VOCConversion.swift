import DataManifests
import Foundation
import RawDatasets

/// Converts a PASCAL VOC folder into a prepared dataset: `train`/`val` from `--train-list` (validation carved
/// with `VOCValidationSplit`, stream `"voc/validation"`), `test` from `--test-list`; every JPEG decoded to RGB,
/// resized to `size` x `size` with Pillow's BILINEAR definition (no libjpeg DCT scaling: it would change pixels,
/// and VOC's ~500x375 images are less than 2x larger than 224 anyway). Tensors: `images` U8 [N, S, S, 3],
/// `labels` U8 [N, 20], `difficult` U8 [N, 20], `sources` I64 [N, 2] = (position in its list, -1).
public enum VOCConversion {
    /// The dataset's name in `dataset.json`: `voc2012` or `voc2007` from the root folder's name, else `voc`.
    public static func datasetName(root: URL) -> String {
        let folder = root.standardizedFileURL.lastPathComponent.lowercased()
        return ["voc2012", "voc2007"].contains(folder) ? folder : "voc"
    }

    /// The 20 class names from data-manifests (`voc2007.json` for a VOC2007 root, else `voc2012.json`).
    public static func manifestClassNames(root: URL) throws -> [String] {
        try DatasetManifest.named(datasetName(root: root) == "voc2007" ? "voc2007" : "voc2012").classNames
    }

    /// Reads lists and annotations (no pixels) and returns the checked plan. `classNames`: label order
    /// (normally `manifestClassNames(root:)`).
    public static func plan(_ options: VOCConversionOptions, classNames: [String], tool: String,
                            toolVersion: String) throws -> ImageConversionPlan {
        guard options.size > 0 && options.size <= 4096 else {
            throw PreparationError.invalidOption("--size \(options.size): give a side between 1 and 4096 pixels")
        }
        guard options.validationFraction >= 0 && options.validationFraction < 1 else {
            throw PreparationError.invalidOption("--val-fraction \(options.validationFraction): give a value in [0, 1)")
        }
        try PreparationPipeline.checkOutputAvailable(options.output)  // before reading any input
        let root = options.root.standardizedFileURL
        let dataset = try VOCDataset(root: root, classNames: classNames)
        let trainList = try dataset.list(named: options.trainList)
        let testList = try dataset.list(named: options.testList)
        let trainIDs = Set(trainList.ids)
        if let shared = testList.ids.first(where: { trainIDs.contains($0) }) {
            throw VOCDatasetError.overlappingLists(id: shared, trainList: trainList.path, testList: testList.path)
        }
        let trainRecords = try dataset.records(of: trainList)
        let testRecords = try dataset.records(of: testList)
        let carved = VOCValidationSplit.carve(Array(zip(trainRecords.indices, trainRecords)),
                                              fraction: options.validationFraction, seed: options.seed)
        let producers = [
            VOCSplitProducer(splitName: "train", records: carved.training.map(\.1),
                             listPositions: carved.training.map(\.0), size: options.size),
            VOCSplitProducer(splitName: "val", records: carved.validation.map(\.1),
                             listPositions: carved.validation.map(\.0), size: options.size),
            VOCSplitProducer(splitName: "test", records: testRecords, listPositions: Array(testRecords.indices),
                             size: options.size),
        ]
        let rawInputs = [
            try RawInputs.digest(of: URL(fileURLWithPath: trainList.path),
                                 name: "ImageSets/Main/\(options.trainList).txt"),
            try RawInputs.digest(of: URL(fileURLWithPath: testList.path), name: "ImageSets/Main/\(options.testList).txt"),
            annotationDigest(trainRecords + testRecords),
        ]
        let layout = PreparedLayout(height: options.size, width: options.size, channels: 3,
                                    classCount: classNames.count, hasDifficultMask: true)
        let flags = ["size": "\(options.size)", "train-list": options.trainList, "test-list": options.testList,
                     "val-fraction": "\(options.validationFraction)", "skip-bad": "\(options.skipBad)"]
        let request = PreparationRequest(
            datasetName: datasetName(root: root), classNames: classNames, layout: layout, splits: producers,
            output: options.output, workers: options.workers, skipBadRecords: options.skipBad, tool: tool,
            toolVersion: toolVersion, flags: flags, seed: options.seed, rawInputs: rawInputs)
        return ImageConversionPlan(request: request, warnings: [], digests: producers.map(\.digests),
                                   digestLabel: "JPEGImages")
    }

    /// One entry for all annotation files: SHA-256 of `<sha256> <bytes> Annotations/<id>.xml\n` lines.
    private static func annotationDigest(_ records: [VOCImageRecord]) -> RawInputDigest {
        let table = RawImageDigests(names: records.map { "Annotations/\($0.id).xml" })
        for (index, record) in records.enumerated() {
            table.record(index: index, sha256: record.annotationSHA256, byteCount: record.annotationByteCount)
        }
        return RawImageDigests.summary(of: [table], label: "Annotations")
    }
}
