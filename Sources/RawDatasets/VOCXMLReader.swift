/// A small, strict XML reader for PASCAL VOC annotation files (no Foundation, no libxml2).
///
/// Accepts: an optional UTF-8 byte-order mark, an `<?xml ...?>` declaration and other processing instructions,
/// comments, a DOCTYPE without an internal subset, elements with attributes, self-closing tags, character data
/// with the five predefined entities and numeric character references, and CDATA sections. Rejects (with the
/// byte offset): mismatched or unclosed tags, text or a second element outside the root, unknown entities,
/// malformed tags, nesting deeper than `maximumDepth`. Input is UTF-8; names and text are decoded as UTF-8 with invalid sequences repaired.
public enum VOCXMLReader {
    /// The deepest element nesting accepted: 256 (a VOC annotation nests 4 levels: annotation, object, part,
    /// bndbox). A tree is freed recursively, so a bound keeps a hostile file from overflowing the stack.
    public static let maximumDepth = 256

    /// Parses a whole document and returns its root element.
    /// - Throws: `VOCXMLSyntaxError` describing the first problem and its byte offset.
    public static func parse(_ bytes: [UInt8]) throws(VOCXMLSyntaxError) -> VOCXMLElement {
        var cursor = VOCXMLCursor(bytes: bytes)
        return try cursor.parseDocument()
    }
}

/// Why a VOC annotation is not well-formed XML, with the byte offset where reading stopped.
public struct VOCXMLSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset into the file (0-based).
    public var offset: Int
    /// What was wrong.
    public var reason: String

    public var description: String { "malformed XML at byte \(offset): \(reason)" }
}

/// Byte-level recursive-descent state for `VOCXMLReader` (iterative over nesting, so deep input cannot overflow
/// the stack).
struct VOCXMLCursor {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    private func fail(_ reason: String) -> VOCXMLSyntaxError {
        VOCXMLSyntaxError(offset: position, reason: reason)
    }

    private var atEnd: Bool { position >= bytes.count }

    private func peek(_ prefix: String) -> Bool {
        let utf8 = Array(prefix.utf8)
        guard position + utf8.count <= bytes.count else { return false }
        return bytes[position..<position + utf8.count].elementsEqual(utf8)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: ":"), 0x80...0xFF:
            return true
        default:
            return false
        }
    }

    private mutating func skipSpace() {
        while !atEnd && Self.isSpace(bytes[position]) { position += 1 }
    }

    /// Advances past the next occurrence of `terminator`; fails naming `construct` when it never comes.
    private mutating func skip(past terminator: String, construct: String) throws(VOCXMLSyntaxError) {
        let utf8 = Array(terminator.utf8)
        while position + utf8.count <= bytes.count {
            if bytes[position..<position + utf8.count].elementsEqual(utf8) {
                position += utf8.count
                return
            }
            position += 1
        }
        throw fail("unterminated \(construct)")
    }

    private mutating func readName() throws(VOCXMLSyntaxError) -> String {
        let start = position
        while !atEnd && Self.isNameByte(bytes[position]) { position += 1 }
        guard position > start else { throw fail("expected a tag name") }
        guard !(bytes[start] >= UInt8(ascii: "0") && bytes[start] <= UInt8(ascii: "9")),
              bytes[start] != UInt8(ascii: "-"), bytes[start] != UInt8(ascii: ".") else {
            throw VOCXMLSyntaxError(offset: start, reason: "a tag name cannot start with a digit, '-' or '.'")
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// Skips `<!-- -->`, `<? ?>` and `<!DOCTYPE ...>` at the current position; returns false when none is there.
    private mutating func skipMarkupDeclaration() throws(VOCXMLSyntaxError) -> Bool {
        if peek("<!--") {
            try skip(past: "-->", construct: "comment")
        } else if peek("<?") {
            try skip(past: "?>", construct: "processing instruction")
        } else if peek("<!DOCTYPE") {
            try skip(past: ">", construct: "DOCTYPE")
        } else {
            return false
        }
        return true
    }

    /// Prolog, exactly one root element, then only comments, processing instructions and whitespace.
    mutating func parseDocument() throws(VOCXMLSyntaxError) -> VOCXMLElement {
        while true {
            skipSpace()
            guard !atEnd else { throw fail("no root element") }
            if try skipMarkupDeclaration() { continue }
            guard bytes[position] == UInt8(ascii: "<") else { throw fail("text before the root element") }
            break
        }
        let root = try parseElementTree()
        while true {
            skipSpace()
            if atEnd { return root }
            if try skipMarkupDeclaration() { continue }
            throw fail("content after the root element")
        }
    }

    /// Parses one element and everything inside it, keeping open elements on an explicit stack.
    private mutating func parseElementTree() throws(VOCXMLSyntaxError) -> VOCXMLElement {
        var stack: [(element: VOCXMLElement, text: [UInt8])] = []
        repeat {
            if atEnd {
                throw fail("unclosed element <\(stack.last?.element.name ?? "?")>")
            }
            if peek("</") {
                position += 2
                let name = try readName()
                skipSpace()
                guard !atEnd, bytes[position] == UInt8(ascii: ">") else { throw fail("expected '>' after </\(name)") }
                position += 1
                guard var closing = stack.popLast() else { throw fail("unexpected </\(name)>") }
                guard closing.element.name == name else {
                    throw fail("</\(name)> closes <\(closing.element.name)>")
                }
                closing.element.text = String(decoding: closing.text, as: UTF8.self)
                if stack.isEmpty { return closing.element }
                stack[stack.count - 1].element.children.append(closing.element)
            } else if peek("<![CDATA[") {
                guard !stack.isEmpty else { throw fail("CDATA outside the root element") }
                position += 9
                let start = position
                try skip(past: "]]>", construct: "CDATA section")
                stack[stack.count - 1].text.append(contentsOf: bytes[start..<position - 3])
            } else if try skipMarkupDeclaration() {
                continue
            } else if bytes[position] == UInt8(ascii: "<") {
                position += 1
                let name = try readName()
                let selfClosing = try skipAttributes()
                let element = VOCXMLElement(name: name)
                if selfClosing {
                    if stack.isEmpty { return element }
                    stack[stack.count - 1].element.children.append(element)
                } else {
                    guard stack.count < VOCXMLReader.maximumDepth else {
                        throw fail("elements nested more than \(VOCXMLReader.maximumDepth) deep (a VOC annotation "
                                   + "nests 4); this is not a VOC annotation")
                    }
                    stack.append((element, []))
                }
            } else {
                guard !stack.isEmpty else { throw fail("text outside the root element") }
                let text = try readCharacterData()
                stack[stack.count - 1].text.append(contentsOf: text)
            }
        } while true
    }

    /// Skips `name="value"` pairs up to `>` or `/>`; returns whether the tag was self-closing.
    private mutating func skipAttributes() throws(VOCXMLSyntaxError) -> Bool {
        while true {
            skipSpace()
            guard !atEnd else { throw fail("unterminated tag") }
            if bytes[position] == UInt8(ascii: ">") {
                position += 1
                return false
            }
            if peek("/>") {
                position += 2
                return true
            }
            _ = try readName()
            skipSpace()
            guard !atEnd, bytes[position] == UInt8(ascii: "=") else { throw fail("expected '=' in an attribute") }
            position += 1
            skipSpace()
            guard !atEnd, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else {
                throw fail("expected a quoted attribute value")
            }
            let quote = bytes[position]
            position += 1
            while !atEnd && bytes[position] != quote {
                guard bytes[position] != UInt8(ascii: "<") else { throw fail("'<' inside an attribute value") }
                position += 1
            }
            guard !atEnd else { throw fail("unterminated attribute value") }
            position += 1
        }
    }

    /// Reads character data up to the next `<`, decoding entity and character references.
    private mutating func readCharacterData() throws(VOCXMLSyntaxError) -> [UInt8] {
        var text: [UInt8] = []
        while !atEnd && bytes[position] != UInt8(ascii: "<") {
            if bytes[position] == UInt8(ascii: "&") {
                text.append(contentsOf: try readReference())
            } else {
                text.append(bytes[position])
                position += 1
            }
        }
        return text
    }

    /// Decodes `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#NN;` and `&#xHH;` into UTF-8 bytes.
    private mutating func readReference() throws(VOCXMLSyntaxError) -> [UInt8] {
        let start = position
        guard let semicolon = bytes[position...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
            throw fail("'&' without a terminating ';'")
        }
        let body = String(decoding: bytes[(start + 1)..<semicolon], as: UTF8.self)
        position = semicolon + 1
        switch body {
        case "amp": return [UInt8(ascii: "&")]
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        default:
            var code: UInt32?
            if body.hasPrefix("#x") {
                code = UInt32(body.dropFirst(2), radix: 16)
            } else if body.hasPrefix("#") {
                code = UInt32(body.dropFirst(1), radix: 10)
            }
            guard let code, code != 0, let scalar = Unicode.Scalar(code) else {
                throw VOCXMLSyntaxError(offset: start, reason: "unknown entity '&\(body);'")
            }
            return Array(String(Character(scalar)).utf8)
        }
    }
}
