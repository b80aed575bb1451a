import Federation
import Foundation
import Safetensors

/// Writes a shards folder as `fednc-shards partition` lays it out (partition.json with the keys the trainer
/// reads, client-NNN.safetensors, validation and test files with SHA-256s) into a fresh temporary folder.
enum ShardFixture {
    static func write(clients: [LabeledImages], validation: LabeledImages, test: LabeledImages,
                      datasetName: String = "synthetic") throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("fednc-federation-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("prepared"),
                                                withIntermediateDirectories: true)
        func save(_ images: LabeledImages, as file: String) throws -> [String: Any] {
            let url = folder.appendingPathComponent(file)
            try Safetensors.write(tensors: [
                "images": TensorData(images.pixels, shape: [images.count, images.height, images.width, images.channels]),
                "labels": TensorData(images.labels, shape: [images.count, images.classCount]),
            ], to: url)
            return ["file": file, "sha256": try FederatedRun.sha256(ofFileAt: url.path)]
        }
        var clientEntries = [[String: Any]]()
        for (index, client) in clients.enumerated() {
            var entry = try save(client, as: String(format: "client-%03d.safetensors", index))
            entry["index"] = index
            entry["size"] = client.count
            entry["classSet"] = Array(0..<client.classCount)
            clientEntries.append(entry)
        }
        let manifest: [String: Any] = [
            "parameters": ["clients": clients.count, "alpha": 0.5, "rho": 1, "seed": 0],
            "dataset": [
                "name": datasetName,
                "classNames": (0..<validation.classCount).map { "class\($0)" },
                "folder": "prepared",
                "train": ["file": "prepared/train.safetensors", "sha256": String(repeating: "0", count: 64)],
                "validation": try save(validation, as: "prepared/val.safetensors"),
                "test": try save(test, as: "prepared/test.safetensors"),
            ],
            "clients": clientEntries,
        ]
        try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys])
            .write(to: folder.appendingPathComponent("partition.json"))
        return folder
    }

    /// Four label-skewed synthetic clients with validation and test splits.
    static func synthetic(clientCount: Int = 4) throws -> URL {
        try write(clients: SyntheticImages.clients(clientCount, size: 24, seed: 1),
                  validation: SyntheticImages.make(count: 60, seed: 2, stream: "validation"),
                  test: SyntheticImages.make(count: 60, seed: 3, stream: "test"))
    }

    static func temporaryRunFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("fednc-run-tests-\(UUID().uuidString)")
    }
}
