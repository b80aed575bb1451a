import Checksums
import Foundation
import Safetensors

/// Writes one client's shard, `client-NNN.safetensors`: the client's rows of the training split in ascending
/// source index, as tensors `images` U8 [n,H,W,C], `labels` U8 [n,K] (the client's copy: labels outside its class
/// set cleared, which is the masking under `mask`), `sources` I64 [n,2], `difficult` U8 [n,K] when the split has
/// it, and `indices` I64 [n] (the row of each sample in train.safetensors).
///
/// Metadata: `formatVersion` "1", `algorithm` "partition/1", `dataset`, `client` (its index), `classNames` and
/// `classSet` (JSON arrays as strings). Bytes depend only on the dataset and the plan.
struct ClientShardWriter {
    let dataset: PreparedDataset
    let plan: PartitionPlan

    /// The shard's tensors in name order: (name, dtype, shape).
    func tensorLayout(_ client: ClientPartition) -> [(name: String, dtype: TensorDType, shape: [Int])] {
        let count = client.size
        let classCount = plan.classCount
        var layout: [(name: String, dtype: TensorDType, shape: [Int])] = [
            ("images", .uint8, [count] + dataset.imageShape),
            ("indices", .int64, [count]),
            ("labels", .uint8, [count, classCount]),
            ("sources", .int64, [count, 2]),
        ]
        if dataset.hasDifficult { layout.append(("difficult", .uint8, [count, classCount])) }
        return layout
    }

    /// The shard's `__metadata__`.
    func metadata(_ client: ClientPartition) -> [String: String] {
        [
            "formatVersion": "1",
            "algorithm": Partitioner.algorithmVersion,
            "dataset": dataset.name,
            "client": String(client.index),
            "classNames": JSONText.array(dataset.classNames),
            "classSet": "[" + client.classSet.map(String.init).joined(separator: ",") + "]",
        ]
    }

    /// Writes the shard of `client` to `url` (or, with `nil`, only hashes the bytes it would write) and returns
    /// its SHA-256 and size in bytes.
    func write(_ client: ClientPartition, to url: URL?) throws(ShardError) -> (sha256: String, byteCount: Int) {
        let header = SafetensorsHeader.layout(metadata: metadata(client), tensors: tensorLayout(client))
        let output = try HashingFileWriter(destination: url)
        try output.append(header.encodedPrefix())
        for name in header.dataOrder {
            switch name {
            case "images": try copyRows(of: "images", for: client, into: output)
            case "difficult": try copyRows(of: "difficult", for: client, into: output)
            case "sources": try copyRows(of: "sources", for: client, into: output)
            case "labels": try output.append(client.labelRows(from: dataset.labels))
            case "indices": try output.append(client.sampleIndices.map { Int64($0) })
            default: preconditionFailure("unexpected tensor \(name) in the shard layout")
            }
        }
        let byteCount = output.byteCount
        return (try output.commit(), byteCount)
    }

    /// Copies the client's rows of a train.safetensors tensor, straight from the memory map, in sample order.
    private func copyRows(of tensor: String, for client: ClientPartition,
                          into output: HashingFileWriter) throws(ShardError) {
        let outcome = Result { () throws -> Void in
            try dataset.train.withUnsafeBytes(of: tensor) { all in
                let rowByteCount = client.size == 0 || dataset.labels.sampleCount == 0
                    ? 0 : all.count / dataset.labels.sampleCount
                try output.appendRows(of: all, rowByteCount: rowByteCount, rows: client.sampleIndices)
            }
        }
        switch outcome {
        case .success: return
        case let .failure(error as ShardError): throw error
        case let .failure(error as SafetensorsError): throw .safetensors(error)
        case let .failure(error): throw .fileSystem(path: dataset.train.url.path, reason: FileSystemErrorText.reason(error))
        }
    }
}

/// Minimal JSON text for metadata strings (the format allows only string values there).
enum JSONText {
    /// `["a","b"]` with JSON string escaping.
    static func array(_ strings: [String]) -> String {
        "[" + strings.map(quoted).joined(separator: ",") + "]"
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
