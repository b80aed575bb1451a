import Foundation

/// One row of the NIH label file.
public struct ChestXray14Entry: Sendable, Equatable {
    /// `Image Index`, e.g. `"00000001_000.png"`.
    public var imageName: String
    /// `Patient ID` as an integer.
    public var patientID: Int
    /// Multi-hot labels [K] over the class list (all zero for `No Finding`).
    public var labels: [UInt8]
    /// 1-based line number in the CSV (the header is line 1).
    public var line: Int

    public init(imageName: String, patientID: Int, labels: [UInt8], line: Int) {
        self.imageName = imageName
        self.patientID = patientID
        self.labels = labels
        self.line = line
    }
}

/// The NIH ChestX-ray14 label file (`Data_Entry_2017.csv` or `Data_Entry_2017_v2020.csv`).
///
/// Columns are found by header name (`Image Index`, `Finding Labels`, `Patient ID`), never by count: the header's
/// unquoted `OriginalImage[Width,Height]` splits into extra fields and the 2017 file has a trailing comma.
/// `Finding Labels` is split on `|` and each name must equal a class name exactly; `No Finding` stands alone and
/// means all-zero. Blank lines are skipped.
public struct ChestXray14LabelTable: Sendable {
    /// The CSV's path (for messages).
    public var path: String
    /// Rows in file order.
    public var entries: [ChestXray14Entry]
    private var indexByName: [String: Int]

    /// The value of `Finding Labels` meaning "none of the classes".
    public static let noFinding = "No Finding"

    /// Reads and parses the file at `url`.
    public init(url: URL, classNames: [String]) throws(ChestXray14Error) {
        guard let data = RawInputFile.contents(atPath: url.path) else {
            throw .fileNotReadable(path: url.path)
        }
        try self.init(contents: data, path: url.path, classNames: classNames)
    }

    /// Parses CSV bytes; `path` is used in messages.
    public init(contents: [UInt8], path: String, classNames: [String]) throws(ChestXray14Error) {
        self.path = path
        var bytes = contents[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard let headerLine = lines.first else { throw .missingColumn(file: path, column: "Image Index") }
        let header = ChestXray14CSVRow.fields(headerLine).map { $0.trimmingCharacters(in: .whitespaces) }
        func column(_ name: String) throws(ChestXray14Error) -> Int {
            guard let index = header.firstIndex(of: name) else { throw .missingColumn(file: path, column: name) }
            return index
        }
        let imageColumn = try column("Image Index")
        let findingsColumn = try column("Finding Labels")
        let patientColumn = try column("Patient ID")
        let needed = max(imageColumn, findingsColumn, patientColumn) + 1
        let classIndex = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })

        var entries: [ChestXray14Entry] = []
        entries.reserveCapacity(lines.count)
        var indexByName: [String: Int] = [:]
        indexByName.reserveCapacity(lines.count)
        for (offset, lineBytes) in lines.enumerated().dropFirst() {
            let line = offset + 1
            if lineBytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }) { continue }
            let fields = ChestXray14CSVRow.fields(lineBytes)
            guard fields.count >= needed else {
                throw .shortRow(file: path, line: line, fields: fields.count, needed: needed)
            }
            let name = fields[imageColumn].trimmingCharacters(in: .whitespaces)
            if let problem = PathComponentCheck.problem(with: name) {
                throw .invalidImageName(file: path, line: line, name: name, reason: problem)
            }
            let labels = try Self.labels(fields[findingsColumn], classIndex: classIndex, classCount: classNames.count,
                                         file: path, line: line, image: name)
            let patientText = fields[patientColumn].trimmingCharacters(in: .whitespaces)
            guard let patientID = Int(patientText), patientID >= 0 else {
                throw .invalidPatientID(file: path, line: line, image: name, value: patientText)
            }
            if let first = indexByName[name] {
                throw .duplicateImage(file: path, line: line, name: name, firstLine: entries[first].line)
            }
            indexByName[name] = entries.count
            entries.append(ChestXray14Entry(imageName: name, patientID: patientID, labels: labels, line: line))
        }
        self.entries = entries
        self.indexByName = indexByName
    }

    /// The row for `imageName`, if any.
    public func entry(named imageName: String) -> ChestXray14Entry? {
        indexByName[imageName].map { entries[$0] }
    }

    /// The 0-based data-row position of `imageName` in `entries`, if any.
    public func row(of imageName: String) -> Int? {
        indexByName[imageName]
    }

    /// Splits a `Finding Labels` cell on `|` into a multi-hot vector.
    private static func labels(_ cell: String, classIndex: [String: Int], classCount: Int, file: String, line: Int,
                               image: String) throws(ChestXray14Error) -> [UInt8] {
        var labels = [UInt8](repeating: 0, count: classCount)
        let names = cell.trimmingCharacters(in: .whitespaces).split(separator: "|", omittingEmptySubsequences: false)
        if names.count == 1 && names[0] == Self.noFinding { return labels }
        for name in names {
            if name.isEmpty { throw .emptyFinding(file: file, line: line, image: image) }
            if name == Self.noFinding { throw .noFindingCombined(file: file, line: line, image: image) }
            guard let index = classIndex[String(name)] else {
                throw .unknownFinding(file: file, line: line, image: image, finding: String(name))
            }
            labels[index] = 1
        }
        return labels
    }
}
