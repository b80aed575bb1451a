import Dispatch
import Foundation
import RawDatasets

/// The shared convert pipeline: records in, pixels produced in parallel within a bounded window, written in
/// input order, then `dataset.json`; the folder appears atomically only when everything succeeded.
///
/// With `workers` >= 2 the splits convert side by side on two lanes (`SplitLanes`), so the progress callback may
/// run for two splits at once, from two threads.
///
/// Memory: per split being converted, two windows of about 4 MiB of pixels each (double buffering: workers fill
/// one window while the writing tasks hash and write the other), plus labels and sources of the split
/// (N x K bytes, N x 16 bytes).
public enum PreparationPipeline {
    /// Pixel bytes per window (the window holds at least 4 records per worker, at most 4,096 records).
    public static let windowPixelBudget = 4 << 20
    /// The split that must not be empty (the one partitioned into client shards).
    public static let trainingSplitName = "train"

    /// Throws `PreparationError.outputExists` if `output` is a file or a non-empty folder: tools call it before
    /// reading any input, so a wrong `--out` fails at once.
    public static func checkOutputAvailable(_ output: URL) throws {
        try OutputFolderTransaction.checkAvailable(output.standardizedFileURL)
    }

    /// Runs the conversion and returns the summary; throws on the first bad record (unless `skipBadRecords`)
    /// without leaving any output.
    public static func run(_ request: PreparationRequest) throws -> PreparationSummary {
        let clock = ContinuousClock()
        let start = clock.now
        if let train = request.splits.first(where: { $0.splitName == trainingSplitName }), train.recordCount == 0 {
            throw PreparationError.emptyTrainingSplit(skipped: 0)
        }
        let transaction = try OutputFolderTransaction(destination: request.output)
        let deferredInputs = request.deferredRawInputs.map { BackgroundResult(uncancellable: $0) }
        do {
            let producers = request.splits
            let shared = SharedTransaction(transaction: transaction)
            let converted = try SplitLanes.run(recordCounts: producers.map(\.recordCount), lanes: min(2, request.workers)) { split in
                try writeWholeSplit(producers[split], request: request, transaction: shared.transaction)
                    ?? convertSplit(producers[split], request: request, transaction: shared.transaction)
            }
            var splits: [String: DatasetDescription.Split] = [:]
            for (producer, split) in zip(producers, converted) { splits[producer.splitName] = split }
            if let train = splits[trainingSplitName], train.count == 0 {
                throw PreparationError.emptyTrainingSplit(skipped: train.skipped.count)
            }
            let description = DatasetDescription(
                formatVersion: DatasetDescription.currentFormatVersion, dataset: request.datasetName,
                classNames: request.classNames,
                imageShape: [request.layout.height, request.layout.width, request.layout.channels],
                hasDifficultMask: request.layout.hasDifficultMask, splits: splits,
                build: .init(tool: request.tool, toolVersion: request.toolVersion, flags: request.flags, seed: request.seed),
                rawInputs: request.rawInputs + (try deferredInputs?.get() ?? []))
            try writeDescription(description, to: transaction.stagedFile("dataset.json"))
            try transaction.commit()
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            return PreparationSummary(description: description, output: transaction.destination, seconds: seconds)
        } catch {
            deferredInputs?.cancelAndWait()
            transaction.discard()
            throw error
        }
    }

    private static func convertSplit(_ producer: any SplitRecordProducer, request: PreparationRequest,
                                     transaction: OutputFolderTransaction) throws -> DatasetDescription.Split {
        let layout = request.layout
        let total = producer.recordCount
        let workers = request.workers
        let capacity = max(1, min(max(workers * 4, windowPixelBudget / layout.imageByteCount), 4096, total))
        let windows = [RecordWindow(capacity: capacity, layout: layout), RecordWindow(capacity: capacity, layout: layout)]
        let fileName = "\(producer.splitName).safetensors"
        let fileURL = transaction.stagedFile(fileName)
        let metadata = splitMetadata(dataset: request.datasetName, split: producer.splitName, classNames: request.classNames)
        let collector = SplitCollector(layout: layout, expectedCount: total)
        let imageSink: any SplitFileSink
        if request.skipBadRecords {
            imageSink = try ImageSpool(url: transaction.stagedFile(".\(producer.splitName).spool"))
        } else {
            imageSink = try makeSplitSink(url: fileURL, layout: layout, count: total, metadata: metadata,
                                          precomputedSources: producer.precomputedSources())
        }
        let writer = WindowWriter(collector: collector, sink: imageSink, windowsMayHoldFailures: request.skipBadRecords)
        request.progress?(producer.splitName, 0, total)
        var pending: RecordWindow?
        var first = 0
        var windowIndex = 0
        while first < total || pending != nil {
            let current: RecordWindow? = first < total ? windows[windowIndex % 2] : nil
            if let current {
                current.reset(first: first, count: min(capacity, total - first))
                try producer.prepareWindow(first..<(first + current.count))
            }
            let writing = pending
            let writeFailure = FailureBox()
            // Writing tasks first: hashing the previous window is the longest task of a round.
            let writeTasks = writing == nil ? 0 : writer.taskCount
            let iterations = writeTasks + (current == nil ? 0 : workers)
            DispatchQueue.concurrentPerform(iterations: iterations) { iteration in
                if let writing, iteration < writeTasks {
                    do { try writer.run(task: iteration, window: writing) } catch { writeFailure.record(error) }
                } else if let current {
                    var slot = iteration - writeTasks
                    while slot < current.count {
                        current.produce(slot: slot, with: producer)
                        slot += workers
                    }
                }
            }
            if let error = writeFailure.error { throw error }
            if let writing { request.progress?(producer.splitName, writing.first + writing.count, total) }
            if let current {
                for slot in 0..<current.count {
                    guard let failure = current.failure(at: slot) else { continue }
                    if request.skipBadRecords {
                        collector.skipped.append("\(producer.recordName(current.first + slot)): \(failure)")
                    } else {
                        throw PreparationError.recordFailed(split: producer.splitName, record: current.first + slot,
                                                            name: producer.recordName(current.first + slot), underlying: failure)
                    }
                }
                first += current.count
                windowIndex += 1
            }
            pending = current
        }
        let sha256: String
        if let spool = imageSink as? ImageSpool {
            let sink = try makeSplitSink(url: fileURL, layout: layout, count: collector.writtenCount, metadata: metadata)
            try spool.replay(into: sink)
            sha256 = try sink.finish(labels: collector.labels, difficult: collector.difficult, sources: collector.sources)
        } else {
            sha256 = try imageSink.finish(labels: collector.labels, difficult: collector.difficult, sources: collector.sources)
        }
        return DatasetDescription.Split(file: fileName, count: collector.writtenCount, classCounts: collector.classCounts(),
                                        sha256: sha256, skipped: collector.skipped)
    }

    private static func writeDescription(_ description: DatasetDescription, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(description)
            data.append(0x0A)
            try data.write(to: url)
        } catch {
            throw PreparationError.cannotWrite(path: url.path, reason: "\(error)")
        }
    }
}

/// The run's transaction handed to the split lanes: they only call `stagedFile`, which reads an immutable URL, and
/// the transaction is committed or discarded only after every lane has finished.
private struct SharedTransaction: @unchecked Sendable {
    let transaction: OutputFolderTransaction
}

/// The first error of the writing tasks, handed back to the calling thread.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var first: (any Error)?

    var error: (any Error)? { lock.withLock { first } }

    func record(_ error: any Error) { lock.withLock { if first == nil { first = error } } }
}
