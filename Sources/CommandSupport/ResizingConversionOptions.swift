import ArgumentParser

/// The options shared by the converters that decode and resize every image (`fednc-voc`,
/// `fednc-chestxray14`): output side, validation carving, decoding threads and bad-image policy.
public struct ResizingConversionOptions: ParsableArguments {
    /// Output side in pixels (square images); default 224, the paper's input size.
    @Option(name: .long, help: "Output side in pixels.")
    public var size = 224

    /// Share of the training list carved out as validation, in [0, 1); default 0.1 (each tool's help says how it
    /// carves: fednc-chestxray14 by patient).
    @Option(name: .long, help: "Share of the training list carved out as validation, in [0, 1).")
    public var valFraction = 0.1

    /// Seed of the validation carving; default 0.
    @Option(name: .long, help: "Seed of the validation carving.")
    public var seed: UInt64 = 0

    /// Decoding threads, 1...256; the output bytes never depend on it. Default 1.
    @Option(name: .long, help: "Decoding threads (the output is identical for any value).")
    public var workers = 1

    /// Skip undecodable or missing images (listed in dataset.json) instead of stopping at the first one.
    @Flag(name: .long, help: "Skip undecodable or missing images (listed in dataset.json) instead of stopping.")
    public var skipBad = false

    public init() {}

    public func validate() throws {
        guard size >= 1 && size <= 4096 else { throw ValidationError("--size must be between 1 and 4096") }
        guard valFraction >= 0 && valFraction < 1 else { throw ValidationError("--val-fraction must be in [0, 1)") }
        guard workers >= 1 && workers <= 256 else { throw ValidationError("--workers must be between 1 and 256") }
    }
}
