import Foundation

/// The header of a `.npy` array (format versions 1.0, 2.0, 3.0), restricted to what MedMNIST needs: one-byte
/// unsigned elements (`|u1`, also `<u1`, `>u1`, `=u1`, `|b1`).
///
/// Layout: `\x93NUMPY`, major, minor, header length (UInt16 LE for v1, UInt32 LE for v2/v3), then a Python dict
/// literal such as `{'descr': '|u1', 'fortran_order': False, 'shape': (546, 28, 28), }` padded to 64 bytes.
public struct NPYHeader: Sendable, Equatable {
    /// The dtype string as written (`|u1`).
    public let descr: String
    public let fortranOrder: Bool
    public let shape: [Int]
    /// Bytes before the data: magic, version, length field and dict.
    public let headerSize: Int

    /// Number of elements (= data bytes for one-byte dtypes).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Reads and validates a header from the start of `source`, whose total size is `memberSize` bytes.
    /// Refuses object (pickled) arrays, multi-byte and big-endian dtypes, and any shape whose byte count
    /// differs from the data the member actually holds (so a zip bomb's declared size cannot drive allocation).
    public static func read(from source: inout some ByteSource, memberSize: Int) throws -> NPYHeader {
        let origin = source.origin
        let prefix = try source.readBytes(8, context: "the .npy magic")
        guard prefix[0..<6].elementsEqual([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]) else { throw NPYError.badMagic(origin: origin) }
        let major = prefix[6]
        let dictLength: Int
        let fixedSize: Int
        switch major {
        case 1:
            let field = try source.readBytes(2, context: "the .npy header length")
            dictLength = Int(field[0]) | Int(field[1]) << 8
            fixedSize = 10
        case 2, 3:
            let field = try source.readBytes(4, context: "the .npy header length")
            dictLength = Int(field[0]) | Int(field[1]) << 8 | Int(field[2]) << 16 | Int(field[3]) << 24
            fixedSize = 12
        default:
            throw NPYError.unsupportedVersion(origin: origin, major: major)
        }
        guard dictLength <= 1 << 20, fixedSize + dictLength <= memberSize else {
            throw NPYError.badHeader(origin: origin, detail: "header length \(dictLength) is impossible")
        }
        let dict = String(decoding: try source.readBytes(dictLength, context: "the .npy header"), as: UTF8.self)
        let header = try parse(dict, origin: origin, headerSize: fixedSize + dictLength)
        let dataBytes = memberSize - header.headerSize
        var declared: Int? = 1
        for dimension in header.shape {
            guard let current = declared else { break }
            let (product, overflow) = current.multipliedReportingOverflow(by: dimension)
            declared = overflow ? nil : product
        }
        guard let declared, declared == dataBytes else {
            throw NPYError.sizeMismatch(origin: origin, shape: header.shape, declaredBytes: declared, actualBytes: dataBytes)
        }
        return header
    }

    /// Parses the dict literal (keys in any order, single or double quotes, trailing commas).
    package static func parse(_ dict: String, origin: String, headerSize: Int) throws -> NPYHeader {
        guard let descr = quotedValue(of: "descr", in: dict) else {
            if dict.contains("'descr': [") || dict.contains("\"descr\": [") {
                throw NPYError.unsupportedDType(origin: origin, descr: "structured", reason: "structured records")
            }
            throw NPYError.badHeader(origin: origin, detail: "no 'descr'")
        }
        try checkDType(descr, origin: origin)
        guard let fortranText = rawValue(of: "fortran_order", in: dict) else {
            throw NPYError.badHeader(origin: origin, detail: "no 'fortran_order'")
        }
        let fortranOrder: Bool
        switch fortranText {
        case "True": fortranOrder = true
        case "False": fortranOrder = false
        default: throw NPYError.badHeader(origin: origin, detail: "fortran_order \(fortranText)")
        }
        guard let shapeStart = keyEnd("shape", in: dict),
              let open = dict[shapeStart...].firstIndex(of: "("),
              let close = dict[open...].firstIndex(of: ")") else {
            throw NPYError.badHeader(origin: origin, detail: "no 'shape' tuple")
        }
        var shape: [Int] = []
        for part in dict[dict.index(after: open)..<close].split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "L", with: "")
            if trimmed.isEmpty { continue }
            guard let value = Int(trimmed), value >= 0 else {
                throw NPYError.badHeader(origin: origin, detail: "shape entry '\(trimmed)'")
            }
            shape.append(value)
        }
        return NPYHeader(descr: descr, fortranOrder: fortranOrder, shape: shape, headerSize: headerSize)
    }

    private static func checkDType(_ descr: String, origin: String) throws {
        if ["|u1", "<u1", ">u1", "=u1", "u1", "|b1", "|B", "B"].contains(descr) { return }
        if descr.contains("O") {
            throw NPYError.unsupportedDType(origin: origin, descr: descr, reason: "object arrays need pickle, which is never loaded")
        }
        if descr.hasPrefix(">") {
            throw NPYError.unsupportedDType(origin: origin, descr: descr, reason: "big-endian multi-byte elements")
        }
        throw NPYError.unsupportedDType(origin: origin, descr: descr, reason: "only one-byte unsigned elements are read")
    }

    private static func keyEnd(_ key: String, in dict: String) -> String.Index? {
        for quote in ["'", "\""] {
            if let range = dict.range(of: quote + key + quote),
               let colon = dict[range.upperBound...].firstIndex(of: ":") {
                return dict.index(after: colon)
            }
        }
        return nil
    }

    private static func quotedValue(of key: String, in dict: String) -> String? {
        guard let start = keyEnd(key, in: dict) else { return nil }
        let rest = dict[start...].drop(while: { $0 == " " })
        guard let quote = rest.first, quote == "'" || quote == "\"" else { return nil }
        let body = rest.dropFirst()
        guard let end = body.firstIndex(of: quote) else { return nil }
        return String(body[body.startIndex..<end])
    }

    private static func rawValue(of key: String, in dict: String) -> String? {
        guard let start = keyEnd(key, in: dict) else { return nil }
        let rest = dict[start...].drop(while: { $0 == " " })
        return String(rest.prefix(while: { $0.isLetter }))
    }
}
