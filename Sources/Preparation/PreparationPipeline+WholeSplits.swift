import Foundation

extension PreparationPipeline {
    /// Writes `producer`'s split file in one piece if it can (`WholeSplitWriting`) and returns its description;
    /// nil, writing nothing, when it cannot, under `--skip-bad`, or without `allowsWholeSplits`: the caller then
    /// uses the record windows. Runs on the split's lane (`SplitLanes`), like the windows would.
    static func writeWholeSplit(_ producer: any SplitRecordProducer, request: PreparationRequest,
                                transaction: OutputFolderTransaction) throws -> DatasetDescription.Split? {
        guard request.allowsWholeSplits && !request.skipBadRecords,
              let writer = producer as? any WholeSplitWriting, writer.canWriteWholeSplit(layout: request.layout) else { return nil }
        let name = writer.splitName
        request.progress?(name, 0, writer.recordCount)
        let split = try writer.writeWholeSplit(
            to: transaction.stagedFile("\(name).safetensors"), layout: request.layout,
            metadata: splitMetadata(dataset: request.datasetName, split: name, classNames: request.classNames))
        request.progress?(name, writer.recordCount, writer.recordCount)
        return split
    }
}
