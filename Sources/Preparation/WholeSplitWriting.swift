import Foundation

/// A split that can write its whole file itself, bypassing the record-window pipeline: for example a MedMNIST
/// images member inflated in one call straight into the mapped output file. The pipeline asks every split; those
/// that accept are written concurrently (one split per worker), the rest go through the windows. Not used with
/// `--skip-bad` (whole-split writers have no per-record failures to skip).
public protocol WholeSplitWriting: SplitRecordProducer {
    /// Whether `writeWholeSplit` can write this split in `layout` (false: use the record windows instead).
    func canWriteWholeSplit(layout: PreparedLayout) -> Bool
    /// Writes `<split>.safetensors` at `url`, byte for byte what the record windows would write, and describes it.
    func writeWholeSplit(to url: URL, layout: PreparedLayout, metadata: [String: String]) throws -> DatasetDescription.Split
}
