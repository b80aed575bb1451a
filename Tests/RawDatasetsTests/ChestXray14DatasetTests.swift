import Foundation
import RawDatasets
import Testing

@Suite("ChestX-ray14 lists, image folders and patient splits")
struct ChestXray14DatasetTests {
    /// A throwaway ChestX-ray14-shaped folder: `patients` patients with 1...4 images each.
    final class Folder {
        let root: URL
        var names: [String] = []
        var patientOf: [String: Int] = [:]

        init(patients: Int) throws {
            root = FileManager.default.temporaryDirectory
                .appendingPathComponent("cxr14-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            var rows = [chestXray14Header]
            for patient in 1...patients {
                for image in 0..<(1 + patient % 4) {
                    let name = String(format: "%08d_%03d.png", patient, image)
                    names.append(name)
                    patientOf[name] = patient
                    let finding = patient % 3 == 0 ? "No Finding" : "Effusion|Pleural_Thickening"
                    rows.append("\(name),\(finding),\(image),\(patient),50,F,PA,1024,1024,0.14,0.14")
                }
            }
            try write(rows.joined(separator: "\n") + "\n", to: "Data_Entry_2017_v2020.csv")
        }

        func write(_ text: String, to path: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }

        deinit { try? FileManager.default.removeItem(at: root) }
    }

    @Test func officialListsWithoutTrailingNewline() throws {
        let folder = try Folder(patients: 40)
        let testNames = folder.names.filter { folder.patientOf[$0]! > 30 }
        let trainNames = folder.names.filter { folder.patientOf[$0]! <= 30 }
        try folder.write(trainNames.joined(separator: "\n"), to: "train_val_list.txt")
        try folder.write(testNames.joined(separator: "\r\n"), to: "test_list.txt")
        let dataset = try ChestXray14Dataset(root: folder.root, classNames: chestXray14ClassNames)
        let splits = try dataset.splits(validationFraction: 0.2, seed: 3)
        #expect(splits.usedOfficialLists)
        #expect(splits.test.map(\.imageName) == testNames)
        #expect(splits.training.count + splits.validation.count == trainNames.count)
        let trainingPatients = Set(splits.training.map(\.patientID))
        let validationPatients = Set(splits.validation.map(\.patientID))
        #expect(trainingPatients.isDisjoint(with: validationPatients))
        #expect(!validationPatients.isEmpty)
        let target = Int((0.2 * Double(trainNames.count)).rounded())
        #expect(splits.validation.count >= target && splits.validation.count < target + 4)
        // List order is kept on both sides.
        let order = Dictionary(uniqueKeysWithValues: trainNames.enumerated().map { ($1, $0) })
        let trainingOrder = splits.training.map { order[$0.imageName]! }
        #expect(trainingOrder == trainingOrder.sorted())
        #expect(try dataset.splits(validationFraction: 0.2, seed: 3) == splits)
        #expect(try dataset.splits(validationFraction: 0.2, seed: 4).validation != splits.validation)
    }

    @Test func listEntryWithoutRowIsAnError() throws {
        let folder = try Folder(patients: 5)
        try folder.write(folder.names.prefix(3).joined(separator: "\n") + "\n99999999_000.png", to: "train_val_list.txt")
        try folder.write(folder.names.suffix(2).joined(separator: "\n"), to: "test_list.txt")
        let dataset = try ChestXray14Dataset(root: folder.root, classNames: chestXray14ClassNames)
        let error = #expect(throws: ChestXray14Error.self) { try dataset.splits(validationFraction: 0.1, seed: 1) }
        guard case .listEntryWithoutRow(let list, 4, "99999999_000.png", _)? = error else {
            Issue.record("expected listEntryWithoutRow on line 4, got \(String(describing: error))")
            return
        }
        #expect(list.hasSuffix("train_val_list.txt"))
    }

    @Test func listsMustBePatientDisjointAndEscapesAreRejected() throws {
        let folder = try Folder(patients: 6)
        let patient3 = folder.names.filter { folder.patientOf[$0] == 3 }
        try folder.write(folder.names.filter { folder.patientOf[$0]! < 3 }.joined(separator: "\n") + "\n"
                         + patient3[0], to: "train_val_list.txt")
        try folder.write(patient3.dropFirst().joined(separator: "\n"), to: "test_list.txt")
        let dataset = try ChestXray14Dataset(root: folder.root, classNames: chestXray14ClassNames)
        let shared = #expect(throws: ChestXray14Error.self) { try dataset.splits(validationFraction: 0.1, seed: 1) }
        guard case .patientInBothLists(3, _, _)? = shared else {
            Issue.record("expected patientInBothLists(3), got \(String(describing: shared))")
            return
        }
        try folder.write("../Data_Entry_2017_v2020.csv\n", to: "test_list.txt")
        let error = #expect(throws: ChestXray14Error.self) { try dataset.splits(validationFraction: 0.1, seed: 1) }
        guard case .invalidListEntry(_, 1, "../Data_Entry_2017_v2020.csv", _)? = error else {
            Issue.record("expected invalidListEntry, got \(String(describing: error))")
            return
        }
        try FileManager.default.removeItem(at: folder.root.appendingPathComponent("test_list.txt"))
        #expect(throws: ChestXray14Error.self) { try dataset.splits(validationFraction: 0.1, seed: 1) }
    }

    @Test func withoutListsTheSplitIsPatientWiseWithTheOfficialProportion() throws {
        let folder = try Folder(patients: 400)
        let dataset = try ChestXray14Dataset(root: folder.root, classNames: chestXray14ClassNames)
        let splits = try dataset.splits(validationFraction: 0.1, seed: 11)
        #expect(!splits.usedOfficialLists)
        let total = folder.names.count
        #expect(splits.training.count + splits.validation.count + splits.test.count == total)
        let testTarget = Int((25_596.0 / 112_120.0 * Double(total)).rounded())
        #expect(splits.test.count >= testTarget && splits.test.count < testTarget + 4)
        let sets = [splits.training, splits.validation, splits.test].map { Set($0.map(\.patientID)) }
        #expect(sets[0].isDisjoint(with: sets[1]) && sets[0].isDisjoint(with: sets[2])
                && sets[1].isDisjoint(with: sets[2]))
    }

    @Test func imagesAreFoundInEitherLayout() throws {
        let folder = try Folder(patients: 3)
        try folder.write("", to: "images/\(folder.names[0])")
        try folder.write("", to: "images_002/images/\(folder.names[1])")
        try folder.write("", to: "images_001/images/\(folder.names[2])")
        let locator = ChestXray14ImageLocator(root: folder.root)
        #expect(locator.imageCount == 3)
        let root = folder.root.path
        #expect(locator.path(of: folder.names[1]) == "\(root)/images_002/images/\(folder.names[1])")
        #expect(locator.path(of: folder.names[2]) == "\(root)/images_001/images/\(folder.names[2])")
        #expect(locator.path(of: folder.names[3]) == nil)
        #expect(locator.pathOrExpected(of: "x.png") == "\(root)/images/x.png")
    }
}
