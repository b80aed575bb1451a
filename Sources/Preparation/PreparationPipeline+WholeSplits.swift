import Dispatch
import Foundation

extension PreparationPipeline {
    /// Writes every split that can write its whole file itself (`WholeSplitWriting`), up to `request.workers`
    /// of them at a time, in the request's order; returns their descriptions by split name. Splits that decline,
    /// and all splits under `--skip-bad` or without `allowsWholeSplits`, are left for the record windows.
    static func writeWholeSplits(_ request: PreparationRequest,
                                 transaction: OutputFolderTransaction) throws -> [String: DatasetDescription.Split] {
        guard request.allowsWholeSplits && !request.skipBadRecords else { return [:] }
        let writers = request.splits.compactMap { $0 as? any WholeSplitWriting }
            .filter { $0.canWriteWholeSplit(layout: request.layout) }
        guard !writers.isEmpty else { return [:] }
        let files = writers.map { transaction.stagedFile("\($0.splitName).safetensors") }
        let queue = WholeSplitQueue(count: writers.count)
        DispatchQueue.concurrentPerform(iterations: min(request.workers, writers.count)) { _ in
            while let index = queue.next() {
                let writer = writers[index]
                let name = writer.splitName
                request.progress?(name, 0, writer.recordCount)
                do {
                    let split = try writer.writeWholeSplit(
                        to: files[index], layout: request.layout,
                        metadata: splitMetadata(dataset: request.datasetName, split: name, classNames: request.classNames))
                    queue.finish(index, with: .success(split))
                    request.progress?(name, writer.recordCount, writer.recordCount)
                } catch {
                    queue.finish(index, with: .failure(error))
                }
            }
        }
        var splits: [String: DatasetDescription.Split] = [:]
        for (index, result) in queue.results.enumerated() {
            // The first failure in split order is reported, whichever thread met it first.
            splits[writers[index].splitName] = try result?.get()
        }
        return splits
    }
}

/// Hands out split indices in order to the writing threads and keeps their results; a failure stops the hand-out.
private final class WholeSplitQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private var failed = false
    private(set) var results: [Result<DatasetDescription.Split, any Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func next() -> Int? {
        lock.withLock {
            guard !failed, nextIndex < results.count else { return nil }
            defer { nextIndex += 1 }
            return nextIndex
        }
    }

    func finish(_ index: Int, with result: Result<DatasetDescription.Split, any Error>) {
        lock.withLock {
            results[index] = result
            if case .failure = result { failed = true }
        }
    }
}
