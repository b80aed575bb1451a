import Foundation
import Imaging
import RawDatasets

/// One VOC split: record `i` is `records[i]`'s JPEG decoded to RGB (whatever its colour space or annotated
/// depth), resized to `size` x `size`, with its labels, difficult mask and `sources = (list position, -1)`.
struct VOCSplitProducer: SplitRecordProducer {
    let splitName: String
    let records: [VOCImageRecord]
    /// Position of each record in the list it came from (`--train-list` or `--test-list`).
    let listPositions: [Int]
    let reader: RawImageReader
    let digests: RawImageDigests

    init(splitName: String, records: [VOCImageRecord], listPositions: [Int], size: Int) {
        precondition(records.count == listPositions.count, "one list position per record")
        self.splitName = splitName
        self.records = records
        self.listPositions = listPositions
        reader = RawImageReader(size: size, channels: 3)
        digests = RawImageDigests(names: records.map { "JPEGImages/\($0.id).jpg" })
    }

    var recordCount: Int { records.count }

    func recordName(_ index: Int) -> String { digests.names[index] }

    /// Known from the lists: (list position, -1) per record.
    func precomputedSources() -> [Int64]? { listPositions.flatMap { [Int64($0), -1] } }

    func produceRecord(_ index: Int, into slots: inout RecordSlots) throws {
        let record = records[index]
        // The file's own channels (gray stays gray): `reader` resizes before widening gray to RGB.
        let decoder = JPEGDecoder()
        try reader.produce(path: record.imagePath, relativeName: digests.names[index], index: index, digests: digests,
                           into: slots.pixels) { (data) throws(ImageCodecError) in try decoder.decode(data) }
        _ = slots.labels.initialize(fromContentsOf: record.labels)
        _ = slots.difficult.initialize(fromContentsOf: record.difficult)
        slots.sources = (Int64(listPositions[index]), -1)
    }
}
