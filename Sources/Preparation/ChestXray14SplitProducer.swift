import Foundation
import Imaging
import RawDatasets

/// One ChestX-ray14 split: record `i` is `records[i]`'s PNG (8-bit gray, RGBA, 16-bit, ...) decoded to one gray
/// channel (Pillow's luma for colour sources, alpha ignored, 16-bit reduced to the high byte), resized to
/// `size` x `size`, with its labels and `sources = (CSV data row, -1)`.
struct ChestXray14SplitProducer: SplitRecordProducer {
    let splitName: String
    let records: [ChestXray14Record]
    let reader: RawImageReader
    let digests: RawImageDigests

    init(splitName: String, records: [ChestXray14Record], root: URL, size: Int) {
        self.splitName = splitName
        self.records = records
        reader = RawImageReader(size: size, channels: 1)
        let prefix = root.standardizedFileURL.path + "/"
        digests = RawImageDigests(names: records.map { record in
            record.imagePath.hasPrefix(prefix) ? String(record.imagePath.dropFirst(prefix.count)) : record.imageName
        })
    }

    var recordCount: Int { records.count }

    func recordName(_ index: Int) -> String { digests.names[index] }

    /// Known from the CSV: (data row, -1) per record, so the split file is hashed while it is written.
    func precomputedSources() -> [Int64]? { records.flatMap { [Int64($0.csvRow), -1] } }

    func produceRecord(_ index: Int, into slots: inout RecordSlots) throws {
        let record = records[index]
        let decoder = PNGDecoder(outputChannels: 1)
        try reader.produce(path: record.imagePath, relativeName: digests.names[index], index: index, digests: digests,
                           into: slots.pixels) { (data) throws(ImageCodecError) in try decoder.decode(data) }
        _ = slots.labels.initialize(fromContentsOf: record.labels)
        slots.sources = (Int64(record.csvRow), -1)
    }
}
