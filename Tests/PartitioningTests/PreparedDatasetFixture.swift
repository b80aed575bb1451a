import Foundation
import Partitioning
import Safetensors
import SeededRandom

/// Builds a small prepared dataset folder (train/val/test.safetensors + dataset.json) with seeded random pixels,
/// for the file-level tests.
enum PreparedDatasetFixture {
    static let classNames = ["cat", "dog", "bird", "fish", "frog", "horse"]

    /// A fresh, empty scratch folder under the system temporary folder.
    static func scratchFolder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("fednc-partition-tests-\(label)-\(UUID().uuidString)")
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `folder/prepared` with `samples` training rows of 8x8x3 images and returns its URL.
    static func make(in folder: URL, samples: Int = 400, withDifficult: Bool = true, seed: UInt64 = 1) throws -> URL {
        let prepared = folder.appendingPathComponent("prepared")
        try FileManager.default.createDirectory(at: prepared, withIntermediateDirectories: true)
        let labels = try SyntheticLabels.multiLabel(samples: samples, classes: classNames.count, seed: seed,
                                                    emptyRate: 0.25, extraRate: 0.15)
        try writeSplit(prepared.appendingPathComponent("train.safetensors"), labels: labels.values, samples: samples,
                       withDifficult: withDifficult, seed: seed)
        for (index, name) in ["val", "test"].enumerated() {
            let split = try SyntheticLabels.multiLabel(samples: 20, classes: classNames.count, seed: seed + 10 + UInt64(index))
            try writeSplit(prepared.appendingPathComponent("\(name).safetensors"), labels: split.values, samples: 20,
                           withDifficult: withDifficult, seed: seed + 20 + UInt64(index))
        }
        let json = """
        {"formatVersion": 1, "name": "test-composites", "classNames": ["cat", "dog", "bird", "fish", "frog", "horse"],
         "imageShape": [8, 8, 3]}
        """
        try Data(json.utf8).write(to: prepared.appendingPathComponent("dataset.json"))
        return prepared
    }

    private static func writeSplit(_ url: URL, labels: [UInt8], samples: Int, withDifficult: Bool,
                                   seed: UInt64) throws {
        var generator = Xoshiro256StarStar(seed: seed, stream: "test-pixels")
        let pixels = (0..<(samples * 8 * 8 * 3)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        var sources = [Int64]()
        for sample in 0..<samples {
            sources.append(Int64(sample * 2))
            sources.append(sample % 3 == 0 ? -1 : Int64(sample))
        }
        var tensors: [String: TensorData] = [
            "images": TensorData(pixels, shape: [samples, 8, 8, 3]),
            "labels": TensorData(labels, shape: [samples, classNames.count]),
            "sources": TensorData(sources, shape: [samples, 2]),
        ]
        if withDifficult {
            var difficult = [UInt8](repeating: 0, count: labels.count)
            for index in labels.indices where index % 7 == 0 && labels[index] == 0 { difficult[index] = 1 }
            tensors["difficult"] = TensorData(difficult, shape: [samples, classNames.count])
        }
        try Safetensors.write(tensors: tensors, metadata: ["split": "train"], to: url)
    }

    /// Every regular file in `folder` (name -> bytes).
    static func contents(of folder: URL) throws -> [String: Data] {
        var files = [String: Data]()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return files
    }
}
