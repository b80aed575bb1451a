import Foundation
import RawDatasets

/// Builds the pipeline request for CIFAR-10 (binary version): train = data_batch_1..4, val = data_batch_5,
/// test = test_batch; pairwise composites by default (S = 3100/800/800, P = 200/50/50).
public enum CIFAR10Conversion {
    public static let splitBatches: [(split: String, batches: [String])] = [
        ("train", ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin"]),
        ("val", ["data_batch_5.bin"]),
        ("test", ["test_batch.bin"]),
    ]
    public static let defaultSinglesPerClass: [SinglesPerClass] = [.count(3100), .count(800), .count(800)]
    public static let defaultPairsPerCombination = [200, 50, 50]

    /// Reads the archive and returns the request plus warnings to print.
    public static func makeRequest(archive: CIFAR10Archive, composite: CompositeOptions, output: URL, workers: Int,
                                   tool: String, toolVersion: String, extraFlags: [String: String] = [:])
        throws -> (PreparationRequest, [String])
    {
        var producers: [any SplitRecordProducer] = []
        var warnings: [String] = []
        for (index, entry) in splitBatches.enumerated() {
            let images = CIFAR10SourceImages(batches: archive.batches(named: entry.batches))
            let (producer, splitWarnings) = try composite.producer(splitIndex: index, splitName: entry.split, images: images,
                                                                   classCount: 10, classNames: archive.classNames)
            producers.append(producer)
            warnings += splitWarnings
        }
        let side = composite.mode == .pairwise ? 2 * CIFAR10Batch.side : CIFAR10Batch.side
        let layout = PreparedLayout(height: side, width: side, channels: 3, classCount: 10)
        let request = PreparationRequest(
            datasetName: "cifar10", classNames: archive.classNames, layout: layout, splits: producers, output: output,
            workers: workers, tool: tool, toolVersion: toolVersion, flags: composite.flags.merging(extraFlags) { $1 },
            seed: composite.seed, rawInputs: archive.inputs)
        return (request, warnings)
    }
}
