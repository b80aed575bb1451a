import Foundation

/// An image list of a VOC folder: `ImageSets/Main/<name>.txt`, one image id per line.
///
/// A UTF-8 byte-order mark, blank lines and trailing whitespace (including CRLF endings) are ignored; a missing final newline is fine.
/// Every id must be a safe single path component (`PathComponentCheck`) and appear once.
public struct VOCImageList: Sendable, Equatable {
    /// The list's name as given, e.g. `"train"`.
    public var name: String
    /// Path of the list file (for messages).
    public var path: String
    /// Image ids in file order.
    public var ids: [String]

    /// Reads `<root>/ImageSets/Main/<name>.txt`.
    public init(root: URL, name: String) throws(VOCDatasetError) {
        if let problem = PathComponentCheck.problem(with: name) {
            throw .invalidListName(name: name, reason: problem)
        }
        let url = root.appendingPathComponent("ImageSets/Main/\(name).txt")
        guard let data = RawInputFile.contents(atPath: url.path) else {
            throw .listNotReadable(path: url.path)
        }
        try self.init(name: name, path: url.path, contents: data)
    }

    /// Parses a list's bytes; `path` is used in messages.
    public init(name: String, path: String, contents: [UInt8]) throws(VOCDatasetError) {
        self.name = name
        self.path = path
        var ids: [String] = []
        var seen: Set<String> = []
        // A UTF-8 byte-order mark (as Windows editors write) is not part of the first id.
        let body = contents.starts(with: [0xEF, 0xBB, 0xBF]) ? contents.dropFirst(3) : contents[...]
        let text = String(decoding: body, as: UTF8.self)
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let lineNumber = index + 1
            if line.contains(where: { $0 == " " || $0 == "\t" }) {
                throw .invalidListEntry(list: path, line: lineNumber, entry: line,
                                        reason: "has more than one field (a per-class list was given?)")
            }
            if let problem = PathComponentCheck.problem(with: line) {
                throw .invalidListEntry(list: path, line: lineNumber, entry: line, reason: problem)
            }
            guard seen.insert(line).inserted else {
                throw .duplicateListEntry(list: path, line: lineNumber, id: line)
            }
            ids.append(line)
        }
        guard !ids.isEmpty else { throw .emptyList(list: path) }
        self.ids = ids
    }
}
