import Foundation
import Imaging
import SeededRandom

/// Writes a small PASCAL VOC-format dataset: `VOCdevkit/<year>/JPEGImages/*.jpg`, `Annotations/*.xml` and
/// `ImageSets/Main/{train,val,trainval}.txt`, in the exact upstream layout.
///
/// Each image shows 1 to 3 objects on a noisy gradient background. Class `c` is drawn as shape `c % 10`
/// (`VOCSampleShape`) in colour family `c / 10` (yellow or blue, distinct in luma too), with position, size and
/// colour jitter, so a small CNN can learn the classes. JPEG kinds rotate: baseline RGB, progressive RGB and
/// grayscale (whose annotation still says depth 3, as converters must not trust it). About one object in eight
/// is `difficult`; persons carry nested `<part>` elements (head, hand) that are not classes; objects cut by the
/// border are `truncated`. Every draw comes from `Xoshiro256StarStar(seed:stream: "samples/voc/<index>")`.
public enum VOCSampleGenerator {
    /// The 20 VOC classes in label order (must equal data-manifests' voc2012 list; a test checks).
    public static let classNames = ["aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair",
                                    "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant",
                                    "sheep", "sofa", "train", "tvmonitor"]

    /// Writes the dataset under `<folder>/VOCdevkit/<year>` and returns that path.
    /// - Throws: `VOCSampleWriteError` when `<folder>/VOCdevkit` exists or a file cannot be written.
    @discardableResult
    public static func write(to folder: URL, options: VOCSampleOptions = VOCSampleOptions())
        throws(VOCSampleWriteError) -> URL {
        let output = try VOCSampleFolder(destination: folder.appendingPathComponent("VOCdevkit"))
        do {
            try fill(output, options: options)
            try output.commit()
        } catch {
            output.discard()
            throw error
        }
        return output.destination.appendingPathComponent(options.year)
    }

    private static func fill(_ output: VOCSampleFolder, options: VOCSampleOptions) throws(VOCSampleWriteError) {
        let total = options.trainCount + options.validationCount + options.unlistedCount
        let ids = (0..<total).map { String(format: "2012_%06d", 100 + 7 * $0) }
        var assignment = Array(0..<total)
        var splitter = Xoshiro256StarStar(seed: options.seed, stream: "samples/voc/lists")
        splitter.shuffle(&assignment)
        let train = assignment.prefix(options.trainCount).sorted().map { ids[$0] }
        let validation = assignment.dropFirst(options.trainCount).prefix(options.validationCount).sorted()
            .map { ids[$0] }
        let base = options.year
        try output.makeFolders(["\(base)/JPEGImages", "\(base)/Annotations", "\(base)/ImageSets/Main"])
        _ = try VOCSampleParallel.map(count: ids.count) { (index) throws(VOCSampleWriteError) in
            let id = ids[index]
            let sample = VOCSampleImage(index: index, options: options)
            let encoder = JPEGEncoder(quality: 90, isProgressive: sample.kind == .progressive)
            let jpeg: [UInt8]
            do throws(ImageCodecError) {
                jpeg = try encoder.encode(sample.image)
            } catch {
                throw .cannotEncode(file: "\(id).jpg", reason: error.description)
            }
            try output.write(jpeg, to: "\(base)/JPEGImages/\(id).jpg")
            try output.write(text: sample.annotationXML(id: id, year: base, classNames: classNames),
                             to: "\(base)/Annotations/\(id).xml")
        }
        try output.write(text: train.map { $0 + "\n" }.joined(), to: "\(base)/ImageSets/Main/train.txt")
        try output.write(text: validation.map { $0 + "\n" }.joined(), to: "\(base)/ImageSets/Main/val.txt")
        try output.write(text: (train + validation).sorted().map { $0 + "\n" }.joined(),
                         to: "\(base)/ImageSets/Main/trainval.txt")
    }
}
