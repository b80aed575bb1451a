import Foundation
import RawDatasets

/// A VOC or ChestX-ray14 conversion, read and checked but not yet run: lists, labels and splits are known, no
/// pixel has been decoded. Set `request.progress` before `run()` to watch it.
public struct ImageConversionPlan: Sendable {
    /// The pipeline request (splits in writing order: train, val, test).
    public var request: PreparationRequest
    /// Things the user should know before the run (e.g. the seeded fallback split).
    public var warnings: [String]
    /// Per-split tables the producers fill with each image's SHA-256.
    let digests: [RawImageDigests]
    /// The image folder's label in `dataset.json` (`JPEGImages`, `images`).
    let digestLabel: String

    /// (split, records) in writing order.
    public var splitCounts: [(split: String, count: Int)] {
        request.splits.map { ($0.splitName, $0.recordCount) }
    }

    /// Converts: runs the pipeline, then adds the digest of every image read to `dataset.json`.
    public func run() throws -> PreparationSummary {
        let summary = try PreparationPipeline.run(request)
        return try RawInputs.appending([RawImageDigests.summary(of: digests, label: digestLabel)], to: summary)
    }
}
