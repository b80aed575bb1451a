import Foundation

/// Options of `fednc-chestxray14` (see `ChestXray14Conversion`).
public struct ChestXray14ConversionOptions: Sendable, Equatable {
    /// The folder with the label CSV, the lists and `images/` or `images_0XX/images/`.
    public var root: URL
    /// The prepared dataset folder to create.
    public var output: URL
    /// Output side in pixels (default 224; one gray channel).
    public var size: Int
    /// Share of train_val carved out as validation, by patient (default 0.1).
    public var validationFraction: Double
    /// Seed of the patient-wise carving (default 0).
    public var seed: UInt64
    /// Decoding threads (default 1); the output does not depend on it.
    public var workers: Int
    /// Skip undecodable or missing images, listing them in dataset.json (default false: stop at the first).
    public var skipBad: Bool

    public init(root: URL, output: URL, size: Int = 224, validationFraction: Double = 0.1, seed: UInt64 = 0,
                workers: Int = 1, skipBad: Bool = false) {
        self.root = root
        self.output = output
        self.size = size
        self.validationFraction = validationFraction
        self.seed = seed
        self.workers = workers
        self.skipBad = skipBad
    }
}
