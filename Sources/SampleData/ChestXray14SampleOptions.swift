/// What `ChestXray14SampleGenerator` writes. Defaults are small enough for unit tests.
public struct ChestXray14SampleOptions: Sendable, Equatable {
    /// Number of PNGs (default 80); patients get 1 to 4 images each.
    public var imageCount: Int
    /// Side of the square images in pixels (default 128; the real dataset is 1024).
    public var size: Int
    /// Seed of the `"samples/chestxray14"` streams (default 0).
    public var seed: UInt64
    /// PNG zlib level (default 6; the benchmark may lower it to generate faster).
    public var compressionLevel: Int

    public init(imageCount: Int = 80, size: Int = 128, seed: UInt64 = 0, compressionLevel: Int = 6) {
        precondition(imageCount >= 4, "ChestX-ray14 samples need at least 4 images")
        precondition(size >= 32, "ChestX-ray14 sample images must be at least 32x32")
        self.imageCount = imageCount
        self.size = size
        self.seed = seed
        self.compressionLevel = compressionLevel
    }
}
