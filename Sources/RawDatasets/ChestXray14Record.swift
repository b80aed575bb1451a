/// One ChestX-ray14 image of a split, before its pixels are decoded.
public struct ChestXray14Record: Sendable, Equatable {
    /// `Image Index`, e.g. `"00000001_000.png"`.
    public var imageName: String
    /// Where the PNG is (or was expected, when the locator did not find it: the converter reports it then).
    public var imagePath: String
    /// `Patient ID`.
    public var patientID: Int
    /// Multi-hot labels [K] (14 for ChestX-ray14).
    public var labels: [UInt8]
    /// 0-based position of the image's row among the label CSV's data rows.
    public var csvRow: Int

    public init(imageName: String, imagePath: String, patientID: Int, labels: [UInt8], csvRow: Int) {
        self.imageName = imageName
        self.imagePath = imagePath
        self.patientID = patientID
        self.labels = labels
        self.csvRow = csvRow
    }
}
