/// What `VOCSampleGenerator` writes. Defaults are small enough for unit tests.
public struct VOCSampleOptions: Sendable, Equatable {
    /// Images in `ImageSets/Main/train.txt` (default 60).
    public var trainCount: Int
    /// Images in `ImageSets/Main/val.txt` (default 40).
    public var validationCount: Int
    /// Extra JPEGs in `JPEGImages/` that no list names, as in the real dataset (default 3).
    public var unlistedCount: Int
    /// Image width in pixels (default 128; the real VOC is about 500).
    public var width: Int
    /// Image height in pixels (default 96; the real VOC is about 375).
    public var height: Int
    /// Seed of the `"samples/voc"` stream (default 0).
    public var seed: UInt64
    /// Folder name under `VOCdevkit/` (default `VOC2012`).
    public var year: String

    public init(trainCount: Int = 60, validationCount: Int = 40, unlistedCount: Int = 3, width: Int = 128,
                height: Int = 96, seed: UInt64 = 0, year: String = "VOC2012") {
        precondition(trainCount > 0 && validationCount > 0 && unlistedCount >= 0, "VOC sample counts must be positive")
        precondition(width >= 32 && height >= 32, "VOC sample images must be at least 32x32")
        self.trainCount = trainCount
        self.validationCount = validationCount
        self.unlistedCount = unlistedCount
        self.width = width
        self.height = height
        self.seed = seed
        self.year = year
    }
}
