import Foundation
import RawDatasets

/// Builds the pipeline request for a 2D MedMNIST `.npz` (28/64/128/224 px, gray or RGB): its own splits;
/// multi-class labels become one-hot, multi-label stay multi-hot. Composites (DermaMNIST's default) use
/// S = all, P = 200/50/50 and random access to each split's images (`ImageArrayStorage`, extracted on the
/// split's lane before its first window); without composites
/// the images are streamed window by window (`StreamingMedMNISTSplitProducer`), so memory does not grow with
/// the file.
public enum MedMNISTConversion {
    public static let defaultSinglesPerClass: [SinglesPerClass] = [.all, .all, .all]
    public static let defaultPairsPerCombination = [200, 50, 50]

    /// The dataset's name from the file name: `dermamnist_224.npz` -> `dermamnist`.
    public static func datasetName(forFile path: String) -> String {
        var name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension.lowercased()
        for suffix in ["_28", "_64", "_128", "_224"] where name.hasSuffix(suffix) {
            name.removeLast(suffix.count)
        }
        return name
    }

    /// `classNames`: the dataset's names in label order if known (from data-manifests); nil gives `class_0`... and
    /// a warning. `spillDirectory` holds large image arrays while converting (default: the system's temp folder).
    public static func makeRequest(archive: MedMNISTArchive, classNames knownNames: [String]?, rawInputs: [RawInputDigest],
                                   composite: CompositeOptions, output: URL, workers: Int, tool: String,
                                   toolVersion: String, spillDirectory: String? = nil, extraFlags: [String: String] = [:])
        throws -> (PreparationRequest, [String])
    {
        var warnings: [String] = []
        let dataset = datasetName(forFile: archive.path)
        let classCount: Int
        if archive.labelWidth > 1 {
            classCount = archive.labelWidth
        } else if let knownNames {
            classCount = knownNames.count
        } else {
            classCount = Int(archive.splits.flatMap(\.labels).max() ?? 0) + 1
        }
        var classNames = knownNames ?? (0..<classCount).map { "class_\($0)" }
        if knownNames == nil {
            warnings.append("\(archive.path): no class list for '\(dataset)' in data-manifests; using generic names class_0 ... class_\(classCount - 1)")
        } else if classNames.count != classCount {
            warnings.append("\(archive.path): the class list for '\(dataset)' has \(classNames.count) names but the labels have \(classCount) columns; using generic names")
            classNames = (0..<classCount).map { "class_\($0)" }
        }
        if composite.mode == .pairwise && archive.labelWidth > 1 {
            throw PreparationError.invalidOption("\(archive.path) is multi-label (\(archive.labelWidth) label columns); composites need single-label images - use --composite none")
        }
        var producers: [any SplitRecordProducer] = []
        for (index, split) in archive.splits.enumerated() {
            if composite.mode == .none {
                producers.append(try StreamingMedMNISTSplitProducer(archive: archive, split: split, classCount: classCount))
                continue
            }
            let images = try MedMNISTSourceImages(archive: archive, split: split, classCount: classCount) {
                try archive.loadImages(of: split, spillDirectory: spillDirectory)
            }
            let (producer, splitWarnings) = try composite.producer(splitIndex: index, splitName: split.name, images: images,
                                                                   classCount: classCount, classNames: classNames)
            producers.append(producer)
            warnings += splitWarnings
        }
        let factor = composite.mode == .pairwise ? 2 : 1
        let layout = PreparedLayout(height: archive.height * factor, width: archive.width * factor,
                                    channels: archive.channels, classCount: classCount)
        let request = PreparationRequest(
            datasetName: dataset, classNames: classNames, layout: layout, splits: producers, output: output,
            workers: workers, tool: tool, toolVersion: toolVersion, flags: composite.flags.merging(extraFlags) { $1 },
            seed: composite.seed, rawInputs: rawInputs)
        return (request, warnings)
    }
}
