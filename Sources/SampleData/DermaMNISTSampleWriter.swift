import Foundation
import SeededRandom

/// Writes a DermaMNIST-like `.npz`: 7 classes (DermaMNIST's), RGB images `side x side x 3` (28 by default; 64,
/// 128, 224 like MedMNIST+), labels uint8 (N, 1), members `train/val/test_images.npy` and `_labels.npy`,
/// DEFLATE-compressed like the published files. Train holds `perClass` images per class, val and test
/// `max(2, perClass / 2)`, shuffled (stream `"samples/dermamnist/<split>"`).
public enum DermaMNISTSampleWriter {
    public static let classCount = 7
    public static let defaultPerClass = 12

    /// Writes `<out>/dermamnist.npz` (or `dermamnist_<side>.npz` for sides other than 28); returns its path.
    @discardableResult
    public static func write(to output: URL, perClass: Int = defaultPerClass, side: Int = 28, seed: UInt64 = 0,
                             compression: NPZWriter.Compression = .deflate) throws -> String {
        precondition(perClass > 0, "perClass must be positive")
        try makeSampleFolder(output)
        var npz = NPZWriter()
        for split in ["train", "val", "test"] {
            let count = split == "train" ? perClass : max(2, perClass / 2)
            var random = Xoshiro256StarStar(seed: seed, stream: "samples/dermamnist/\(split)")
            var labels = (0..<(count * classCount)).map { UInt8($0 % classCount) }
            random.shuffle(&labels)
            var images: [UInt8] = []
            images.reserveCapacity(labels.count * side * side * 3)
            for label in labels {
                images += SampleShapes.render(classIndex: Int(label), side: side, channels: 3, random: &random)
            }
            npz.addUInt8Array("\(split)_images", shape: [labels.count, side, side, 3], values: images)
            npz.addUInt8Array("\(split)_labels", shape: [labels.count, 1], values: labels)
        }
        let name = side == 28 ? "dermamnist.npz" : "dermamnist_\(side).npz"
        let path = output.appendingPathComponent(name).path
        let file = try AtomicFileWriter(path: path)
        try file.write(try npz.archive(compression: compression))
        try file.commit()
        return path
    }
}
