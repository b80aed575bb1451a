extension VOCAnnotation {
    /// Parses an annotation file's bytes. `file` is only used in error messages.
    /// - Throws: `VOCDatasetError.malformedAnnotation`, `.missingAnnotationField` or `.invalidAnnotationValue`.
    public init(xml bytes: [UInt8], file: String) throws(VOCDatasetError) {
        let root: VOCXMLElement
        do {
            root = try VOCXMLReader.parse(bytes)
        } catch {
            throw .malformedAnnotation(file: file, reason: error.description)
        }
        guard root.name == "annotation" else {
            throw .malformedAnnotation(file: file, reason: "root element is <\(root.name)>, expected <annotation>")
        }
        guard let size = root.child("size") else { throw .missingAnnotationField(file: file, field: "size") }
        let width = try Self.positiveInteger(in: size, field: "width", path: "size/width", file: file)
        let height = try Self.positiveInteger(in: size, field: "height", path: "size/height", file: file)
        let depth = try Self.positiveInteger(in: size, field: "depth", path: "size/depth", file: file)
        var objects: [VOCObject] = []
        for (index, element) in root.children(named: "object").enumerated() {
            objects.append(try Self.object(element, path: "object[\(index + 1)]", file: file))
        }
        self.init(width: width, height: height, depth: depth, objects: objects)
    }

    private static func object(_ element: VOCXMLElement, path: String,
                               file: String) throws(VOCDatasetError) -> VOCObject {
        guard let nameElement = element.child("name") else {
            throw .missingAnnotationField(file: file, field: "\(path)/name")
        }
        let name = nameElement.trimmedText
        guard !name.isEmpty else { throw .invalidAnnotationValue(file: file, field: "\(path)/name", value: "") }
        let difficult = try flag(in: element, field: "difficult", path: path, file: file)
        let truncated = try flag(in: element, field: "truncated", path: path, file: file)
        guard let boxElement = element.child("bndbox") else {
            throw .missingAnnotationField(file: file, field: "\(path)/bndbox")
        }
        var corners: [Double] = []
        for corner in ["xmin", "ymin", "xmax", "ymax"] {
            let field = "\(path)/bndbox/\(corner)"
            guard let value = boxElement.child(corner)?.trimmedText else {
                throw .missingAnnotationField(file: file, field: field)
            }
            guard let number = Double(value), number.isFinite else {
                throw .invalidAnnotationValue(file: file, field: field, value: value)
            }
            corners.append(number)
        }
        let box = VOCBoundingBox(xmin: corners[0], ymin: corners[1], xmax: corners[2], ymax: corners[3])
        return VOCObject(name: name, difficult: difficult, truncated: truncated, box: box)
    }

    /// `0` or `1` (false when the element is absent).
    private static func flag(in element: VOCXMLElement, field: String, path: String,
                             file: String) throws(VOCDatasetError) -> Bool {
        guard let value = element.child(field)?.trimmedText else { return false }
        switch value {
        case "0": return false
        case "1": return true
        default: throw .invalidAnnotationValue(file: file, field: "\(path)/\(field)", value: value)
        }
    }

    /// A positive integer (a whole-number decimal such as `500.0` is accepted too).
    private static func positiveInteger(in element: VOCXMLElement, field: String, path: String,
                                        file: String) throws(VOCDatasetError) -> Int {
        guard let value = element.child(field)?.trimmedText else {
            throw .missingAnnotationField(file: file, field: path)
        }
        if let integer = Int(value), integer > 0 { return integer }
        if let number = Double(value), number.isFinite, number > 0, number == number.rounded(), number < 1e9 {
            return Int(number)
        }
        throw .invalidAnnotationValue(file: file, field: path, value: value)
    }
}
