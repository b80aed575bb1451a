import Foundation

/// Options of `fednc-voc` (see `VOCConversion`).
public struct VOCConversionOptions: Sendable, Equatable {
    /// `VOCdevkit/VOC2012` (or `VOC2007`): holds JPEGImages, Annotations, ImageSets/Main.
    public var root: URL
    /// The prepared dataset folder to create.
    public var output: URL
    /// Output side in pixels (default 224).
    public var size: Int
    /// List the train and validation splits come from (default `train`).
    public var trainList: String
    /// List the test split comes from (default `val`: VOC2012's test labels are not public).
    public var testList: String
    /// Share of the training list carved out as validation (default 0.1).
    public var validationFraction: Double
    /// Seed of the validation carving (default 0).
    public var seed: UInt64
    /// Decoding threads (default 1); the output does not depend on it.
    public var workers: Int
    /// Skip undecodable or missing images, listing them in dataset.json (default false: stop at the first).
    public var skipBad: Bool

    public init(root: URL, output: URL, size: Int = 224, trainList: String = "train", testList: String = "val",
                validationFraction: Double = 0.1, seed: UInt64 = 0, workers: Int = 1, skipBad: Bool = false) {
        self.root = root
        self.output = output
        self.size = size
        self.trainList = trainList
        self.testList = testList
        self.validationFraction = validationFraction
        self.seed = seed
        self.workers = workers
        self.skipBad = skipBad
    }
}
