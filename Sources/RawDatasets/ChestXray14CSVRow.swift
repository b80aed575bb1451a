/// Splits one line of a comma-separated file into fields.
///
/// Unquoted fields are taken verbatim (so the NIH header's unquoted `OriginalImage[Width,Height]` becomes two
/// fields, as every CSV reader sees it). A field starting with `"` runs to the matching `"`, with `""` as an
/// escaped quote. A trailing CR is dropped.
enum ChestXray14CSVRow {
    static func fields(_ line: ArraySlice<UInt8>) -> [String] {
        var bytes = line
        if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        var fields: [String] = []
        var current: [UInt8] = []
        var index = bytes.startIndex
        var inQuotes = false
        var fieldStart = true
        while index < bytes.endIndex {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    let next = bytes.index(after: index)
                    if next < bytes.endIndex && bytes[next] == UInt8(ascii: "\"") {
                        current.append(byte)
                        index = next
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(byte)
                }
            } else if byte == UInt8(ascii: ",") {
                fields.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
                fieldStart = true
                index = bytes.index(after: index)
                continue
            } else if byte == UInt8(ascii: "\"") && fieldStart {
                inQuotes = true
            } else {
                current.append(byte)
            }
            fieldStart = false
            index = bytes.index(after: index)
        }
        fields.append(String(decoding: current, as: UTF8.self))
        return fields
    }
}
