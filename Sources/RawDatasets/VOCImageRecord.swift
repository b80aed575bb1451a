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

    public init(id: String, imagePath: String, labels: [UInt8], difficult: [UInt8]) {
        self.id = id
        self.imagePath = imagePath
        self.labels = labels
        self.difficult = difficult
    }
}
