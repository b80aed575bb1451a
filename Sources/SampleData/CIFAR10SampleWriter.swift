import Foundation
import SeededRandom

/// Writes a CIFAR-10-format sample dataset in the exact upstream binary layout:
/// `<out>/cifar-10-batches-bin/{data_batch_1..5.bin, test_batch.bin, batches.meta.txt}` and
/// `<out>/cifar-10-binary.tar.gz` holding the same folder (tar + gzip written here through zlib).
///
/// Each batch holds `perClass` records of every class in a shuffled order (stream `"samples/cifar10/<batch>"`).
/// `perClass = 1000` gives the published 10,000-record (30,730,000-byte) batches; smaller values give short
/// batches, which the converter accepts only with `--allow-short-batches`.
public enum CIFAR10SampleWriter {
    /// The published class names, in label order.
    public static let classNames = ["airplane", "automobile", "bird", "cat", "deer",
                                    "dog", "frog", "horse", "ship", "truck"]
    /// Default records per class per batch (600 images in all: fast enough for tests and the demo).
    public static let defaultPerClass = 10

    /// Writes the folder and the tarball; returns the paths written.
    @discardableResult
    public static func write(to output: URL, perClass: Int = defaultPerClass, seed: UInt64 = 0) throws -> [String] {
        precondition(perClass > 0, "perClass must be positive")
        let folder = output.appendingPathComponent("cifar-10-batches-bin")
        try makeSampleFolder(folder)
        var members: [(String, [UInt8])] = []
        let meta = Array((classNames.joined(separator: "\n") + "\n\n").utf8)
        members.append(("batches.meta.txt", meta))
        for name in ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"] {
            members.append((name, batch(name: name, perClass: perClass, seed: seed)))
        }
        var written: [String] = []
        for (name, bytes) in members {
            let path = folder.appendingPathComponent(name).path
            let file = try AtomicFileWriter(path: path)
            try file.write(bytes)
            try file.commit()
            written.append(path)
        }
        let tarballPath = output.appendingPathComponent("cifar-10-binary.tar.gz").path
        let file = try AtomicFileWriter(path: tarballPath)
        let gzip = DeflateCompressor(gzip: true) { try file.write($0) }
        let tar = TarWriter { bytes in try gzip.write(bytes) }
        try tar.addDirectory("cifar-10-batches-bin/")
        for (name, bytes) in members { try tar.addFile("cifar-10-batches-bin/\(name)", contents: bytes) }
        try tar.finish()
        try gzip.finish()
        try file.commit()
        written.append(tarballPath)
        return written
    }

    /// One batch: `perClass * 10` records of 1 label byte + 1,024 R + 1,024 G + 1,024 B (rows of 32).
    public static func batch(name: String, perClass: Int, seed: UInt64) -> [UInt8] {
        var random = Xoshiro256StarStar(seed: seed, stream: "samples/cifar10/\(name)")
        var labels = (0..<(perClass * 10)).map { $0 % 10 }
        random.shuffle(&labels)
        var bytes = [UInt8](repeating: 0, count: labels.count * 3073)
        for (record, label) in labels.enumerated() {
            let image = SampleShapes.render(classIndex: label, side: 32, channels: 3, random: &random)
            let base = record * 3073
            bytes[base] = UInt8(label)
            for pixel in 0..<1024 {
                bytes[base + 1 + pixel] = image[pixel * 3]
                bytes[base + 1 + 1024 + pixel] = image[pixel * 3 + 1]
                bytes[base + 1 + 2048 + pixel] = image[pixel * 3 + 2]
            }
        }
        return bytes
    }
}
