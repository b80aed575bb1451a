import Foundation

/// The three splits of a ChestX-ray14 folder, records in list (or CSV) order.
public struct ChestXray14Splits: Sendable, Equatable {
    public var training: [ChestXray14Record]
    public var validation: [ChestXray14Record]
    public var test: [ChestXray14Record]
    /// True when `train_val_list.txt` and `test_list.txt` drove the split; false for the seeded fallback.
    public var usedOfficialLists: Bool
}

/// A NIH ChestX-ray14 folder: the label CSV, optionally `train_val_list.txt` and `test_list.txt`, and images in
/// `images/` or `images_0XX/images/`.
public struct ChestXray14Dataset: Sendable {
    /// The dataset folder.
    public var root: URL
    /// Class names in label order (14, from data-manifests).
    public var classNames: [String]
    /// The parsed label file.
    public var labelTable: ChestXray14LabelTable
    /// Where the PNGs are.
    public var locator: ChestXray14ImageLocator

    /// The label files looked for, in order of preference.
    public static let labelFileNames = ["Data_Entry_2017_v2020.csv", "Data_Entry_2017.csv"]
    /// The official list names.
    public static let trainValidationListName = "train_val_list.txt"
    public static let testListName = "test_list.txt"

    /// Reads the label CSV and lists the image folders.
    public init(root: URL, classNames: [String]) throws(ChestXray14Error) {
        precondition(!classNames.isEmpty, "ChestXray14Dataset needs class names")
        guard let labelFile = Self.labelFileNames.map({ root.appendingPathComponent($0) })
            .first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw .labelFileNotFound(root: root.path)
        }
        self.root = root
        self.classNames = classNames
        self.labelTable = try ChestXray14LabelTable(url: labelFile, classNames: classNames)
        self.locator = ChestXray14ImageLocator(root: root)
    }

    /// The official lists when both exist, nil when neither does.
    /// - Throws: `.incompleteLists` when only one exists; list parse errors.
    public func officialLists() throws(ChestXray14Error) -> (trainValidation: ChestXray14ImageList,
                                                              test: ChestXray14ImageList)? {
        let trainURL = root.appendingPathComponent(Self.trainValidationListName)
        let testURL = root.appendingPathComponent(Self.testListName)
        let manager = FileManager.default
        switch (manager.fileExists(atPath: trainURL.path), manager.fileExists(atPath: testURL.path)) {
        case (true, true):
            return (try ChestXray14ImageList(url: trainURL), try ChestXray14ImageList(url: testURL))
        case (false, false):
            return nil
        case (true, false):
            throw .incompleteLists(present: trainURL.path, missing: testURL.path)
        case (false, true):
            throw .incompleteLists(present: testURL.path, missing: trainURL.path)
        }
    }

    /// Training, validation and test records.
    ///
    /// With the official lists: test = `test_list.txt`; validation carved from `train_val_list.txt` by patient
    /// (`ChestXray14PatientSplit`, stream `"chestxray14/validation"`). Every list entry needs a CSV row, no
    /// image may be listed twice, and no patient may be in both lists. Without them: test carved by patient from
    /// all CSV rows with the official proportion (stream `"chestxray14/test"`), then validation from the rest.
    public func splits(validationFraction: Double, seed: UInt64) throws(ChestXray14Error) -> ChestXray14Splits {
        if let lists = try officialLists() {
            var seen: Set<String> = []
            let trainValidation = try records(of: lists.trainValidation, seen: &seen)
            let test = try records(of: lists.test, seen: &seen)
            let trainPatients = Set(trainValidation.map(\.patientID))
            if let shared = test.first(where: { trainPatients.contains($0.patientID) }) {
                throw .patientInBothLists(patientID: shared.patientID, trainList: lists.trainValidation.path,
                                          testList: lists.test.path)
            }
            let carved = ChestXray14PatientSplit.carve(trainValidation, fraction: validationFraction, seed: seed,
                                                       stream: ChestXray14PatientSplit.validationStream)
            return ChestXray14Splits(training: carved.kept, validation: carved.carved, test: test,
                                     usedOfficialLists: true)
        }
        let all = labelTable.entries.indices.map { record(row: $0) }
        let testCarve = ChestXray14PatientSplit.carve(all, fraction: ChestXray14PatientSplit.officialTestFraction,
                                                      seed: seed, stream: ChestXray14PatientSplit.testStream)
        let validationCarve = ChestXray14PatientSplit.carve(testCarve.kept, fraction: validationFraction, seed: seed,
                                                            stream: ChestXray14PatientSplit.validationStream)
        return ChestXray14Splits(training: validationCarve.kept, validation: validationCarve.carved,
                                 test: testCarve.carved, usedOfficialLists: false)
    }

    private func record(row: Int) -> ChestXray14Record {
        let entry = labelTable.entries[row]
        return ChestXray14Record(imageName: entry.imageName, imagePath: locator.pathOrExpected(of: entry.imageName),
                                 patientID: entry.patientID, labels: entry.labels, csvRow: row)
    }

    private func records(of list: ChestXray14ImageList,
                         seen: inout Set<String>) throws(ChestXray14Error) -> [ChestXray14Record] {
        var records: [ChestXray14Record] = []
        records.reserveCapacity(list.names.count)
        for (name, line) in zip(list.names, list.lines) {
            guard seen.insert(name).inserted else {
                throw .duplicateListEntry(list: list.path, line: line, image: name)
            }
            guard let row = labelTable.row(of: name) else {
                throw .listEntryWithoutRow(list: list.path, line: line, image: name, labelFile: labelTable.path)
            }
            records.append(record(row: row))
        }
        return records
    }
}
