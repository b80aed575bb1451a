import Foundation

/// Writes one split file sequentially: the images of every record in order, then labels, sources and
/// (optionally) the difficult mask. `finish` returns the file's SHA-256 (lowercase hex).
package protocol SplitFileSink: AnyObject, Sendable {
    func appendImages(_ bytes: UnsafeRawBufferPointer) throws
    func finish(labels: [UInt8], difficult: [UInt8]?, sources: [Int64]) throws -> String
}

/// The safetensors metadata every split file carries: `formatVersion`, `dataset`, `split`, `classNames` (a JSON
/// array as a string). No timestamps, no paths. Keys are camelCase, as in dataset.json, partition.json and the
/// shards (files written before issue 16 used `format_version` and `class_names`; readers accept both).
package func splitMetadata(dataset: String, split: String, classNames: [String]) -> [String: String] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let names = (try? encoder.encode(classNames)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    return ["formatVersion": String(DatasetDescription.currentFormatVersion), "dataset": dataset,
            "split": split, "classNames": names]
}
