/// One image of a VOC split with its labels, before any pixel is decoded.
public struct VOCImageRecord: Sendable, Equatable {
    /// Image id from the list, e.g. `"2008_000008"`.
    public var id: String
    /// Absolute path of `JPEGImages/<id>.jpg`.
    public var imagePath: String
    /// Multi-hot labels [K]: 1 where the image has at least one non-difficult object of the class.
    public var labels: [UInt8]
    /// Difficult mask [K]: 1 where ALL of the image's objects of the class are difficult (label stays 0 there).
    public var difficult: [UInt8]
    /// SHA-256 (lowercase hex) and size in bytes of `Annotations/<id>.xml` as read.
    public var annotationSHA256: String
    public var annotationByteCount: Int

    public init(id: String, imagePath: String, labels: [UInt8], difficult: [UInt8], annotationSHA256: String,
                annotationByteCount: Int) {
        self.id = id
        self.imagePath = imagePath
        self.labels = labels
        self.difficult = difficult
        self.annotationSHA256 = annotationSHA256
        self.annotationByteCount = annotationByteCount
    }
}
