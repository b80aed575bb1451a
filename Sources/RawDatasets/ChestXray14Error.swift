/// Problems in a NIH ChestX-ray14 folder that the user can fix. Every message names the file and the record.
public enum ChestXray14Error: Error, Sendable, Equatable {
    /// Neither `Data_Entry_2017_v2020.csv` nor `Data_Entry_2017.csv` is in the root.
    case labelFileNotFound(root: String)
    /// A file exists but cannot be read.
    case fileNotReadable(path: String)
    /// The CSV header lacks a column the reader needs.
    case missingColumn(file: String, column: String)
    /// A data row with fewer fields than the needed columns' positions.
    case shortRow(file: String, line: Int, fields: Int, needed: Int)
    /// An `Image Index` that is not a safe file name.
    case invalidImageName(file: String, line: Int, name: String, reason: String)
    /// The same `Image Index` on two rows.
    case duplicateImage(file: String, line: Int, name: String, firstLine: Int)
    /// A `Finding Labels` entry that is not one of the 14 classes nor `No Finding`.
    case unknownFinding(file: String, line: Int, image: String, finding: String)
    /// An empty `Finding Labels` cell or an empty name between `|`.
    case emptyFinding(file: String, line: Int, image: String)
    /// `No Finding` together with a finding.
    case noFindingCombined(file: String, line: Int, image: String)
    /// A `Patient ID` that is not a non-negative integer.
    case invalidPatientID(file: String, line: Int, image: String, value: String)
    /// A list line that is not a safe image name.
    case invalidListEntry(list: String, line: Int, entry: String, reason: String)
    /// A list entry with no row in the label CSV.
    case listEntryWithoutRow(list: String, line: Int, image: String, labelFile: String)
    /// The same image twice in the lists (within one list or across both).
    case duplicateListEntry(list: String, line: Int, image: String)
    /// The two official lists share a patient.
    case patientInBothLists(patientID: Int, trainList: String, testList: String)
    /// Only one of the two official lists exists.
    case incompleteLists(present: String, missing: String)
}

extension ChestXray14Error: CustomStringConvertible {
    public var description: String {
        switch self {
        case .labelFileNotFound(let root):
            return "\(root): no Data_Entry_2017_v2020.csv or Data_Entry_2017.csv; point --root at the ChestX-ray14 "
                + "folder holding the label CSV, the lists and images/"
        case .fileNotReadable(let path):
            return "\(path): cannot be read"
        case .missingColumn(let file, let column):
            return "\(file): header has no column '\(column)'; is this the NIH Data_Entry CSV?"
        case .shortRow(let file, let line, let fields, let needed):
            return "\(file), line \(line): \(fields) fields, at least \(needed) needed; the row is truncated"
        case .invalidImageName(let file, let line, let name, let reason):
            return "\(file), line \(line): image name '\(name)' \(reason)"
        case .duplicateImage(let file, let line, let name, let firstLine):
            return "\(file), line \(line): image '\(name)' already on line \(firstLine); remove the duplicate row"
        case .unknownFinding(let file, let line, let image, let finding):
            return "\(file), line \(line) (\(image)): unknown finding '\(finding)'; names are the 14 classes "
                + "(e.g. Pleural_Thickening) or 'No Finding', exact spelling, separated by '|'"
        case .emptyFinding(let file, let line, let image):
            return "\(file), line \(line) (\(image)): empty finding name in 'Finding Labels'"
        case .noFindingCombined(let file, let line, let image):
            return "\(file), line \(line) (\(image)): 'No Finding' combined with a finding; it must stand alone"
        case .invalidPatientID(let file, let line, let image, let value):
            return "\(file), line \(line) (\(image)): 'Patient ID' is '\(value)', expected a non-negative integer"
        case .invalidListEntry(let list, let line, let entry, let reason):
            return "\(list), line \(line): '\(entry)' \(reason); each line must hold one image name such as "
                + "00000001_000.png"
        case .listEntryWithoutRow(let list, let line, let image, let labelFile):
            return "\(list), line \(line): image '\(image)' has no row in \(labelFile); use the lists that came "
                + "with this label file"
        case .duplicateListEntry(let list, let line, let image):
            return "\(list), line \(line): image '\(image)' is listed more than once across the lists"
        case .patientInBothLists(let patientID, let trainList, let testList):
            return "patient \(patientID) has images in both \(trainList) and \(testList); the lists must be "
                + "patient-disjoint"
        case .incompleteLists(let present, let missing):
            return "\(present) exists but \(missing) does not; provide both official lists or neither"
        }
    }
}
