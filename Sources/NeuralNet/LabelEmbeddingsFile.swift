import Foundation
import Safetensors

/// FedLGT's frozen text features, read from a safetensors file (written by `tools/make-label-embeddings`):
/// tensor `embeddings`, F32 `[K + 2, d]` row-major: rows 0..<K the CLIP ViT-B/16 text features of "The photo
/// contains {class}." in the dataset's class order, row K "positive", row K + 1 "negative" (d = 512 for CLIP).
/// Optional metadata `classNames` (a JSON array) is checked against the dataset's class names when present.
package struct LabelEmbeddingsFile: Sendable {
    /// The `[K + 2, d]` table, row-major.
    package let table: [Float]
    /// K.
    package let classCount: Int
    /// d.
    package let dimension: Int

    /// Reads and checks `url` for `classNames.count` classes of width `dimension`.
    package init(contentsOf url: URL, classNames: [String], dimension: Int) throws {
        try self.init(contentsOf: url, classCount: classNames.count, classNames: classNames, dimension: dimension)
    }

    /// Reads and checks `url` for `classCount` classes of width `dimension`; the file's `classNames` metadata is
    /// compared with `classNames` when both are known.
    package init(contentsOf url: URL, classCount: Int, classNames: [String]?, dimension: Int) throws {
        let path = url.path
        let file: SafetensorsFile
        do {
            file = try SafetensorsFile(contentsOf: url)
        } catch {
            throw LabelEmbeddingsError.unreadable(path: path, reason: error.description)
        }
        let expected = [classCount + 2, dimension]
        guard let info = try? file.info("embeddings") else {
            throw LabelEmbeddingsError.wrongTensor(path: path, expected: expected,
                                                   found: "tensors \(file.tensorNames.sorted())")
        }
        guard info.dtype == .float32, info.shape == expected else {
            throw LabelEmbeddingsError.wrongTensor(path: path, expected: expected,
                                                   found: "\(info.dtype.rawValue) \(info.shape)")
        }
        if let classNames, let json = file.metadata["classNames"] {
            let found = (try? JSONDecoder().decode([String].self, from: Data(json.utf8))) ?? [json]
            guard found == classNames else {
                throw LabelEmbeddingsError.classMismatch(path: path, expected: classNames, found: found)
            }
        }
        do {
            table = try file.array(of: Float.self, "embeddings")
        } catch {
            throw LabelEmbeddingsError.unreadable(path: path, reason: error.description)
        }
        guard table.allSatisfy(\.isFinite) else {
            throw LabelEmbeddingsError.wrongTensor(path: path, expected: expected, found: "non-finite values")
        }
        self.classCount = classCount
        self.dimension = dimension
    }
}
