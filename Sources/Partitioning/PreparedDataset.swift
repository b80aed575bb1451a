import Checksums
import Foundation
import Safetensors

/// A prepared dataset folder as the partitioner reads it: `dataset.json` (name and class names),
/// `train.safetensors` (memory-mapped: `images` U8 [N,H,W,C], `labels` U8 [N,K], `sources` I64 [N,2],
/// optional `difficult` U8 [N,K]), and the global `val.safetensors` / `test.safetensors`, which are only hashed.
///
/// `dataset.json` keys read: `name` (or `dataset`) and `classNames` (or `class_names`); other keys are ignored.
public final class PreparedDataset: Sendable {
    /// The description file's name inside the folder.
    public static let datasetJSONName = "dataset.json"
    /// The training split's file name.
    public static let trainName = "train.safetensors"
    /// The validation split's file name.
    public static let validationName = "val.safetensors"
    /// The test split's file name.
    public static let testName = "test.safetensors"

    /// The folder, as given.
    public let folder: URL
    /// The dataset's name from dataset.json.
    public let name: String
    /// `K` class names, in label order.
    public let classNames: [String]
    /// The memory-mapped training split.
    public let train: SafetensorsFile
    /// `N x K` labels of the training split.
    public let labels: LabelMatrix
    /// `[H, W, C]` of one image.
    public let imageShape: [Int]
    /// Whether train.safetensors has a `difficult` tensor.
    public let hasDifficult: Bool

    /// Opens `folder` and checks the training split's tensors against each other and against dataset.json.
    /// - Throws: `ShardError` naming the file and what is wrong.
    public init(folder: URL) throws(ShardError) {
        self.folder = folder
        let jsonURL = folder.appendingPathComponent(Self.datasetJSONName)
        let trainURL = folder.appendingPathComponent(Self.trainName)
        for url in [jsonURL, trainURL, folder.appendingPathComponent(Self.validationName),
                    folder.appendingPathComponent(Self.testName)]
        where !FileManager.default.fileExists(atPath: url.path) {
            throw .missingFile(path: url.path, hint: "point --dataset at a folder written by a fednc-<dataset> tool")
        }
        (name, classNames) = try Self.readDatasetJSON(jsonURL)
        do {
            train = try SafetensorsFile(contentsOf: trainURL)
        } catch {
            throw .safetensors(error)
        }
        let labelInfo = try Self.tensor(train, "labels", dtype: .uint8, rank: 2)
        let sampleCount = labelInfo.shape[0]
        guard labelInfo.shape[1] == classNames.count else {
            throw .invalidTensor(path: trainURL.path, tensor: "labels",
                                 reason: "has \(labelInfo.shape[1]) classes but dataset.json names \(classNames.count)")
        }
        let imageInfo = try Self.tensor(train, "images", dtype: .uint8, rank: 4, rows: sampleCount)
        imageShape = Array(imageInfo.shape.dropFirst())
        let sourceInfo = try Self.tensor(train, "sources", dtype: .int64, rank: 2, rows: sampleCount)
        guard sourceInfo.shape[1] == 2 else {
            throw .invalidTensor(path: trainURL.path, tensor: "sources", reason: "has shape \(sourceInfo.shape), not [N, 2]")
        }
        hasDifficult = train.contains("difficult")
        if hasDifficult {
            let info = try Self.tensor(train, "difficult", dtype: .uint8, rank: 2, rows: sampleCount)
            guard info.shape[1] == classNames.count else {
                throw .invalidTensor(path: trainURL.path, tensor: "difficult", reason: "has shape \(info.shape), not [N, K]")
            }
        }
        let values: [UInt8]
        do {
            values = try train.array(of: UInt8.self, "labels")
        } catch {
            throw .safetensors(error)
        }
        do {
            labels = try LabelMatrix(sampleCount: sampleCount, classCount: classNames.count, values: values)
        } catch {
            throw .invalidLabels(path: trainURL.path, reason: error)
        }
    }

    /// `URL` of a file in the folder.
    public func url(_ fileName: String) -> URL { folder.appendingPathComponent(fileName) }

    private static func tensor(_ file: SafetensorsFile, _ name: String, dtype: TensorDType, rank: Int,
                               rows: Int? = nil) throws(ShardError) -> TensorInfo {
        let info: TensorInfo
        do {
            info = try file.info(name)
        } catch {
            throw .safetensors(error)
        }
        guard info.dtype == dtype, info.shape.count == rank else {
            throw .invalidTensor(path: file.url.path, tensor: name,
                                 reason: "is \(info.dtype) \(info.shape), expected \(dtype) with \(rank) dimensions")
        }
        if let rows, info.shape[0] != rows {
            throw .invalidTensor(path: file.url.path, tensor: name,
                                 reason: "has \(info.shape[0]) rows but 'labels' has \(rows)")
        }
        return info
    }

    private static func readDatasetJSON(_ url: URL) throws(ShardError) -> (String, [String]) {
        let data: Data
        do {
            data = try ShardInputFile.contents(of: url, limit: PartitionManifest.maximumFileByteCount)
        } catch {
            throw .invalidJSON(path: url.path, reason: "cannot be read (\(error.reason))")
        }
        // JSONSerialization's own messages name Foundation internals (NSCocoaErrorDomain); say it plainly.
        guard let object = try? JSONSerialization.jsonObject(with: data) else {
            throw .invalidJSON(path: url.path, reason: "not valid JSON; re-create the prepared dataset with a fednc-<dataset> tool")
        }
        guard let dictionary = object as? [String: Any] else {
            throw .invalidJSON(path: url.path, reason: "the top level is not a JSON object")
        }
        guard let name = (dictionary["name"] ?? dictionary["dataset"]) as? String else {
            throw .invalidJSON(path: url.path, reason: "no string \"name\" (or \"dataset\"): the dataset's name")
        }
        guard let classNames = (dictionary["classNames"] ?? dictionary["class_names"]) as? [String],
              !classNames.isEmpty else {
            throw .invalidJSON(path: url.path, reason: "no non-empty string array \"classNames\" (or \"class_names\")")
        }
        return (name, classNames)
    }
}
