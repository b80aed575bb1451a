/// One element of a parsed VOC annotation: its tag name, its child elements in document order and its text
/// (character data directly inside it, entities decoded, CDATA included, not trimmed).
///
/// Attributes are parsed for well-formedness and dropped: VOC annotations carry none that matter.
public struct VOCXMLElement: Sendable, Equatable {
    /// Tag name, e.g. `"object"`.
    public var name: String
    /// Child elements in document order.
    public var children: [VOCXMLElement]
    /// Character data directly inside this element (not its children's), untrimmed.
    public var text: String

    public init(name: String, children: [VOCXMLElement] = [], text: String = "") {
        self.name = name
        self.children = children
        self.text = text
    }

    /// The first DIRECT child named `name` (grandchildren such as `part/name` are never returned).
    public func child(_ name: String) -> VOCXMLElement? {
        children.first { $0.name == name }
    }

    /// All DIRECT children named `name`, in document order.
    public func children(named name: String) -> [VOCXMLElement] {
        children.filter { $0.name == name }
    }

    /// The text with leading and trailing XML whitespace (space, tab, CR, LF) removed.
    public var trimmedText: String {
        let scalars = text.unicodeScalars
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
