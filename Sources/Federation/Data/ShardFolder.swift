import Checksums
import Foundation
import Partitioning
import Safetensors

/// A shards folder: `partition.json` plus `client-NNN.safetensors`, with the validation and test splits it
/// references (datasets.md, "Client shards"). Every file read is checked against the SHA-256 the manifest records.
///
/// Shard and split files hold `images` U8 `[n, H, W, C]` (memory-mapped, read batch by batch) and `labels` U8
/// `[n, K]`; other tensors are ignored.
public struct ShardFolder: Sendable {
    public let url: URL
    public let manifest: ShardManifest
    /// SHA-256 of `partition.json` itself (recorded in `run.json`).
    public let manifestSHA256: String
    /// The prepared dataset folder given with `--dataset`, if any (see `datasetFolder()`).
    public let explicitDataset: URL?

    /// `dataset`: the prepared dataset folder (`--dataset`) when the shards or the dataset were moved.
    public init(url: URL, dataset: URL? = nil) throws(ShardFolderError) {
        let manifestURL = url.appendingPathComponent("partition.json")
        guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
            throw .missingManifest(path: manifestURL.path)
        }
        do {
            manifest = try JSONDecoder().decode(ShardManifest.self, from: data)
        } catch {
            throw .invalidManifest(path: manifestURL.path, reason: String(describing: error))
        }
        guard !manifest.clients.isEmpty else { throw .invalidManifest(path: manifestURL.path, reason: "no clients") }
        guard manifest.clients.map(\.index) == Array(0..<manifest.clients.count) else {
            throw .invalidManifest(path: manifestURL.path, reason: "client indices are not 0, 1, 2, ...")
        }
        self.url = url
        self.manifestSHA256 = Checksums.sha256(of: data)
        self.explicitDataset = dataset
    }

    /// Where the validation and test files are: the recorded paths while they exist and no `--dataset` is given,
    /// else Partitioning's one rule (`DatasetLocation`: `--dataset`, the recorded folder, or a same-name copy of it
    /// inside or beside the shards folder whose dataset.json has the recorded SHA-256). Client shards are always
    /// read from the shards folder itself.
    public func splitURL(_ file: String) throws(ShardFolderError) -> URL {
        let recorded = url.appendingPathComponent(file).standardizedFileURL
        if explicitDataset == nil, FileManager.default.fileExists(atPath: recorded.path) { return recorded }
        let location: DatasetLocation
        do {
            location = try DatasetLocation.resolve(shardsFolder: url, manifest: PartitionManifest.read(shardsFolder: url),
                                                   explicit: explicitDataset)
        } catch {
            throw .unreadable(path: recorded.path, reason: error.description)
        }
        var relative = file
        if let folder = manifest.dataset.folder, file.hasPrefix(folder + "/") {
            relative = String(file.dropFirst(folder.count + 1))
        } else {
            relative = (file as NSString).lastPathComponent
        }
        return location.folder.appendingPathComponent(relative).standardizedFileURL
    }

    /// Number of classes K.
    public var classCount: Int { manifest.dataset.classNames.count }

    /// Every client's shard, by index.
    public func loadClients() throws(ShardFolderError) -> [LabeledImages] {
        var clients = [LabeledImages]()
        for client in manifest.clients.indices { clients.append(try loadClient(client)) }
        return clients
    }

    /// Client `index`'s shard (only that file is read, so a node may hold only its own shard).
    public func loadClient(_ index: Int) throws(ShardFolderError) -> LabeledImages {
        precondition(manifest.clients.indices.contains(index), "client index out of range")
        let client = manifest.clients[index]
        let images = try load(fileURL: url.appendingPathComponent(client.file).standardizedFileURL,
                              sha256: client.sha256)
        guard images.count == client.size else {
            throw .badTensor(path: path(client.file), tensor: "labels",
                             reason: "\(images.count) samples, partition.json records \(client.size)")
        }
        return images
    }

    public func loadValidation() throws(ShardFolderError) -> LabeledImages {
        try load(fileURL: splitURL(manifest.dataset.validation.file), sha256: manifest.dataset.validation.sha256)
    }

    public func loadTest() throws(ShardFolderError) -> LabeledImages {
        try load(fileURL: splitURL(manifest.dataset.test.file), sha256: manifest.dataset.test.sha256)
    }

    private func path(_ file: String) -> String { url.appendingPathComponent(file).standardizedFileURL.path }

    /// Reads one images/labels file after checking its SHA-256.
    func load(fileURL: URL, sha256 expected: String) throws(ShardFolderError) -> LabeledImages {
        let actual: String
        do {
            actual = try Checksums.sha256(fileAt: fileURL)
        } catch {
            throw .unreadable(path: fileURL.path, reason: error.description)
        }
        guard actual == expected.lowercased() else {
            throw .checksumMismatch(path: fileURL.path, expected: expected, actual: actual)
        }
        do {
            let tensors = try SafetensorsFile(contentsOf: fileURL)
            let imageShape = try tensors.info("images").shape
            let labelShape = try tensors.info("labels").shape
            guard imageShape.count == 4, [1, 3].contains(imageShape[3]), imageShape[1] > 0, imageShape[2] > 0 else {
                throw ShardFolderError.badTensor(path: fileURL.path, tensor: "images",
                                                 reason: "shape \(imageShape), expected [n, H, W, 1 or 3]")
            }
            guard labelShape.count == 2, labelShape[0] == imageShape[0], labelShape[1] == classCount else {
                throw ShardFolderError.badTensor(
                    path: fileURL.path, tensor: "labels",
                    reason: "shape \(labelShape), expected [\(imageShape[0]), \(classCount)]")
            }
            let labels = try tensors.array(of: UInt8.self, "labels")
            guard labels.allSatisfy({ $0 <= 1 }) else {
                throw ShardFolderError.badTensor(path: fileURL.path, tensor: "labels", reason: "values other than 0/1")
            }
            guard try tensors.info("images").dtype == .uint8 else {
                throw ShardFolderError.badTensor(path: fileURL.path, tensor: "images", reason: "dtype is not U8")
            }
            return LabeledImages(height: imageShape[1], width: imageShape[2], channels: imageShape[3],
                                 classCount: classCount, rows: .mapped(tensors, tensor: "images"), labels: labels)
        } catch let error as ShardFolderError {
            throw error
        } catch {
            throw .unreadable(path: fileURL.path, reason: String(describing: error))
        }
    }
}
