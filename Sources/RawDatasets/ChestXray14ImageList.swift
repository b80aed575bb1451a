import Foundation

/// An official ChestX-ray14 list (`train_val_list.txt`, `test_list.txt`): one image name per line.
///
/// Blank lines, surrounding whitespace and CRLF endings are ignored; the final newline may be missing.
public struct ChestXray14ImageList: Sendable, Equatable {
    /// Path of the list (for messages).
    public var path: String
    /// Image names in file order.
    public var names: [String]
    /// 1-based line number of each name.
    public var lines: [Int]

    /// Reads the list at `url`.
    public init(url: URL) throws(ChestXray14Error) {
        guard let data = RawInputFile.contents(atPath: url.path) else {
            throw .fileNotReadable(path: url.path)
        }
        try self.init(contents: data, path: url.path)
    }

    /// Parses list bytes; `path` is used in messages.
    public init(contents: [UInt8], path: String) throws(ChestXray14Error) {
        self.path = path
        var names: [String] = []
        var lines: [Int] = []
        let body = contents.starts(with: [0xEF, 0xBB, 0xBF]) ? contents.dropFirst(3) : contents[...]  // UTF-8 BOM
        for (offset, lineBytes) in body.split(separator: UInt8(ascii: "\n"),
                                                  omittingEmptySubsequences: false).enumerated() {
            let name = String(decoding: lineBytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty { continue }
            if let problem = PathComponentCheck.problem(with: name) {
                throw .invalidListEntry(list: path, line: offset + 1, entry: name, reason: problem)
            }
            names.append(name)
            lines.append(offset + 1)
        }
        self.names = names
        self.lines = lines
    }
}
