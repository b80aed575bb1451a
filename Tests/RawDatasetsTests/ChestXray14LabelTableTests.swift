import Foundation
import RawDatasets
import Testing

/// The 14 ChestX-ray14 classes in label order, written out here so the tests do not depend on data-manifests.
let chestXray14ClassNames = ["Atelectasis", "Cardiomegaly", "Consolidation", "Edema", "Effusion", "Emphysema",
                             "Fibrosis", "Hernia", "Infiltration", "Mass", "Nodule", "Pleural_Thickening",
                             "Pneumonia", "Pneumothorax"]

let chestXray14Header = "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,"
    + "View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]"

@Suite("ChestX-ray14 label CSV")
struct ChestXray14LabelTableTests {
    static func fixtureURL() throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
            .appendingPathComponent("Data_Entry_2017_v2020_first1000.csv")
    }

    static func table(_ rows: [String], header: String = chestXray14Header) throws -> ChestXray14LabelTable {
        try ChestXray14LabelTable(contents: Array(([header] + rows).joined(separator: "\n").utf8),
                                  path: "Data.csv", classNames: chestXray14ClassNames)
    }

    @Test func realFileWithBracketedHeader() throws {
        let table = try ChestXray14LabelTable(url: Self.fixtureURL(), classNames: chestXray14ClassNames)
        #expect(table.entries.count == 1000)
        // Counts computed independently with awk over the fixture's second column.
        let expected = [103, 97, 47, 33, 189, 40, 39, 9, 186, 38, 41, 37, 13, 48]
        let counts = chestXray14ClassNames.indices.map { index in
            table.entries.reduce(0) { $0 + Int($1.labels[index]) }
        }
        #expect(counts == expected)
        #expect(table.entries.filter { $0.labels.allSatisfy { $0 == 0 } }.count == 427)
        #expect(Set(table.entries.map(\.patientID)).count == 246)
        let second = try #require(table.entry(named: "00000001_001.png"))
        #expect(second.patientID == 1 && second.line == 3)
        #expect(second.labels == chestXray14ClassNames.map { $0 == "Cardiomegaly" || $0 == "Emphysema" ? 1 : 0 })
        let last = try #require(table.entries.last)
        #expect(last.imageName == "00000246_015.png" && last.patientID == 246 && last.line == 1001)
    }

    @Test func labelsSplitExactlyOnBar() throws {
        let table = try Self.table([
            "00000013_044.png,Cardiomegaly|Mass|Pleural_Thickening,22,13,56,M,PA,2992,2991,0.143,0.143",
            "00000013_003.png,Pleural_Thickening,28,13,60,M,AP,2996,2544,0.139,0.139",
            "00000014_000.png,No Finding,0,14,60,M,AP,2996,2544,0.139,0.139",
        ])
        let pleural = chestXray14ClassNames.firstIndex(of: "Pleural_Thickening")!
        #expect(table.entries[0].labels.enumerated().filter { $0.element == 1 }.map(\.offset)
                == [1, 9, pleural])
        #expect(table.entries[1].labels.enumerated().filter { $0.element == 1 }.map(\.offset) == [pleural])
        #expect(table.entries[2].labels == [UInt8](repeating: 0, count: 14))
    }

    @Test(arguments: ["Pleural Thickening", "Pleural_thickening", "Mass |Nodule", "Nodules"])
    func unknownLabelNamesRowAndName(cell: String) {
        let error = #expect(throws: ChestXray14Error.self) {
            try Self.table(["00000001_000.png,Atelectasis,0,1,57,M,PA,1,1,0.1,0.1",
                            "00000002_000.png,\(cell),0,2,57,M,PA,1,1,0.1,0.1"])
        }
        guard case .unknownFinding(let file, let line, let image, _)? = error else {
            Issue.record("expected unknownFinding, got \(String(describing: error))")
            return
        }
        #expect(file == "Data.csv" && line == 3 && image == "00000002_000.png")
    }

    @Test func noFindingNeverCoOccurs() {
        #expect(throws: ChestXray14Error.noFindingCombined(file: "Data.csv", line: 2, image: "00000001_000.png")) {
            try Self.table(["00000001_000.png,No Finding|Mass,0,1,57,M,PA,1,1,0.1,0.1"])
        }
        #expect(throws: ChestXray14Error.emptyFinding(file: "Data.csv", line: 2, image: "00000001_000.png")) {
            try Self.table(["00000001_000.png,Mass|,0,1,57,M,PA,1,1,0.1,0.1"])
        }
    }

    @Test func columnsAreFoundByNameNotCount() throws {
        // The 2017 file's rows end with a trailing comma; a reordered header still works.
        let table = try Self.table(["1,00000009_000.png,Emphysema,0,", "2,00000010_000.png,No Finding,0,"],
                                   header: "Patient ID,Image Index,Finding Labels,Follow-up #,")
        #expect(table.entries.map(\.patientID) == [1, 2])
        #expect(table.entries[0].imageName == "00000009_000.png")
        #expect(throws: ChestXray14Error.missingColumn(file: "Data.csv", column: "Patient ID")) {
            try Self.table([], header: "Image Index,Finding Labels,Follow-up #")
        }
        #expect(throws: ChestXray14Error.shortRow(file: "Data.csv", line: 2, fields: 2, needed: 4)) {
            try Self.table(["00000001_000.png,Mass"])
        }
    }

    @Test func badNamesAndDuplicatesAreRejected() {
        let error = #expect(throws: ChestXray14Error.self) {
            try Self.table(["../../secret.png,Mass,0,1,57,M,PA,1,1,0.1,0.1"])
        }
        guard case .invalidImageName(_, 2, "../../secret.png", _)? = error else {
            Issue.record("expected invalidImageName, got \(String(describing: error))")
            return
        }
        #expect(throws: ChestXray14Error.duplicateImage(file: "Data.csv", line: 3, name: "a.png", firstLine: 2)) {
            try Self.table(["a.png,Mass,0,1,57,M,PA,1,1,0.1,0.1", "a.png,Mass,0,1,57,M,PA,1,1,0.1,0.1"])
        }
        #expect(throws: ChestXray14Error.invalidPatientID(file: "Data.csv", line: 2, image: "a.png", value: "x")) {
            try Self.table(["a.png,Mass,0,x,57,M,PA,1,1,0.1,0.1"])
        }
    }
}
