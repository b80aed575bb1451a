import Foundation
import RawDatasets

/// Everything the convert pipeline needs to write one prepared dataset folder.
public struct PreparationRequest: Sendable {
    /// The dataset's name in `dataset.json` and the safetensors metadata (`cifar10`, `dermamnist`, `voc2012`).
    public var datasetName: String
    /// K class names in label order.
    public var classNames: [String]
    public var layout: PreparedLayout
    /// The splits in the order they are written (usually train, val, test).
    public var splits: [any SplitRecordProducer]
    /// The folder to create (must not exist, or be empty).
    public var output: URL
    /// Threads producing pixels (`--workers`, default 1). Output bytes never depend on it.
    public var workers: Int
    /// Skip records whose producer throws, listing them in `dataset.json` (`--skip-bad`); off: the first failure
    /// aborts the run and nothing is written.
    public var skipBadRecords: Bool
    /// The executable's name and version, and the options that shaped the output, for `dataset.json`.
    public var tool: String
    public var toolVersion: String
    public var flags: [String: String]
    public var seed: UInt64
    /// The raw files read, with their checksums.
    public var rawInputs: [RawInputDigest]
    /// Raw inputs whose checksums are computed while the splits are written (on a thread of their own) and listed
    /// after `rawInputs` in `dataset.json`; nil (default) for none. A throw fails the run like a bad record.
    public var deferredRawInputs: (@Sendable () throws -> [RawInputDigest])?
    /// Let splits that can write their whole file themselves do so (`WholeSplitWriting`, default true); false
    /// sends every split through the record windows (tests compare the two; the bytes are the same).
    public var allowsWholeSplits = true
    /// Called after each window (and at the start and end of a split written whole): (split, records done,
    /// records in split). With two or more workers splits run on two lanes, so calls for two splits may come
    /// from two threads at once: the callback must be thread-safe.
    public var progress: (@Sendable (_ split: String, _ done: Int, _ total: Int) -> Void)?

    public init(datasetName: String, classNames: [String], layout: PreparedLayout, splits: [any SplitRecordProducer],
                output: URL, workers: Int = 1, skipBadRecords: Bool = false, tool: String, toolVersion: String,
                flags: [String: String], seed: UInt64, rawInputs: [RawInputDigest],
                progress: (@Sendable (_ split: String, _ done: Int, _ total: Int) -> Void)? = nil) {
        precondition(classNames.count == layout.classCount, "class names must match the layout's class count")
        self.datasetName = datasetName
        self.classNames = classNames
        self.layout = layout
        self.splits = splits
        self.output = output
        self.workers = max(1, workers)
        self.skipBadRecords = skipBadRecords
        self.tool = tool
        self.toolVersion = toolVersion
        self.flags = flags
        self.seed = seed
        self.rawInputs = rawInputs
        self.progress = progress
    }
}

/// What a finished run reports: the description written to `dataset.json` plus timings (not written anywhere,
/// so the files stay deterministic).
public struct PreparationSummary: Sendable {
    public let description: DatasetDescription
    public let output: URL
    /// Wall-clock seconds for all splits.
    public let seconds: Double

    /// One warning per split that `--skip-bad` left without records (a train split so emptied is an error).
    public var warnings: [String] {
        description.splits.keys.sorted().compactMap { name in
            guard let split = description.splits[name], split.count == 0, !split.skipped.isEmpty else { return nil }
            return "the \(name) split is empty: --skip-bad skipped all \(split.skipped.count) of its records "
                + "(listed in the summary); fix or replace the bad inputs"
        }
    }

    /// Records written over all splits.
    public var recordCount: Int { description.splits.values.reduce(0) { $0 + $1.count } }

    /// A human-readable table: counts per split and class, seconds, images per second.
    public func report(splitOrder: [String] = ["train", "val", "test"]) -> String {
        var lines = ["\(description.dataset): \(recordCount) images \(description.imageShape.map(String.init).joined(separator: "x")) -> \(output.path)"]
        let names = description.classNames
        let width = max("records".count, names.map(\.count).max() ?? 0)
        let present = splitOrder.filter { description.splits[$0] != nil }
        lines.append("class".padding(toLength: width, withPad: " ", startingAt: 0)
                     + present.map { $0.leftPadded(to: 9) }.joined())
        for (index, name) in names.enumerated() {
            lines.append(name.padding(toLength: width, withPad: " ", startingAt: 0)
                         + present.map { String(description.splits[$0]?.classCounts[index] ?? 0).leftPadded(to: 9) }.joined())
        }
        lines.append("records".padding(toLength: width, withPad: " ", startingAt: 0)
                     + present.map { String(description.splits[$0]?.count ?? 0).leftPadded(to: 9) }.joined())
        for split in present where !(description.splits[split]?.skipped.isEmpty ?? true) {
            let skipped = description.splits[split]?.skipped ?? []
            lines.append("skipped in \(split) (\(skipped.count)): \(skipped.joined(separator: ", "))")
        }
        let rate = seconds > 0 ? Double(recordCount) / seconds : 0
        lines.append(String(format: "%.2f s, %.0f images/s", seconds, rate))
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? " " + self : String(repeating: " ", count: width - count) + self
    }
}
