/// One PASCAL VOC annotation file (`Annotations/<id>.xml`), reduced to what the converters use.
///
/// Only DIRECT children of `<annotation>` and `<object>` are read: a `<part><name>head</name></part>` inside a
/// person never becomes an object. Values tolerate surrounding whitespace (tabs, newlines).
/// Required: `size/width`, `size/height`, `size/depth` (positive integers; `depth` is informational only - the
/// converters decode every JPEG to RGB whatever it says), and per object `name` and `bndbox/{xmin,ymin,xmax,ymax}`.
/// `difficult` and `truncated` default to false when absent (some VOC2012 objects omit them; the VOC devkit's
/// own reader does the same) but must be `0` or `1` when present.
public struct VOCAnnotation: Sendable, Equatable {
    /// Image width in pixels, as annotated.
    public var width: Int
    /// Image height in pixels, as annotated.
    public var height: Int
    /// Annotated channel count (not trusted for decoding).
    public var depth: Int
    /// Objects in document order.
    public var objects: [VOCObject]

    public init(width: Int, height: Int, depth: Int, objects: [VOCObject]) {
        self.width = width
        self.height = height
        self.depth = depth
        self.objects = objects
    }
}

/// One `<object>` of a VOC annotation.
public struct VOCObject: Sendable, Equatable {
    /// Class name as written (e.g. `"person"`), trimmed.
    public var name: String
    /// `<difficult>1</difficult>`: excluded from the positive labels, recorded in the difficult mask instead.
    public var difficult: Bool
    /// `<truncated>1</truncated>`.
    public var truncated: Bool
    /// Box corners in pixels (VOC uses 1-based inclusive coordinates; some files have fractional values).
    public var box: VOCBoundingBox

    public init(name: String, difficult: Bool, truncated: Bool, box: VOCBoundingBox) {
        self.name = name
        self.difficult = difficult
        self.truncated = truncated
        self.box = box
    }
}

/// A VOC `<bndbox>` in pixels.
public struct VOCBoundingBox: Sendable, Equatable {
    public var xmin: Double
    public var ymin: Double
    public var xmax: Double
    public var ymax: Double

    public init(xmin: Double, ymin: Double, xmax: Double, ymax: Double) {
        self.xmin = xmin
        self.ymin = ymin
        self.xmax = xmax
        self.ymax = ymax
    }
}
