import Foundation

/// How one convolution call is laid out: image chunks per worker, images per GEMM, output-row bands per GEMM.
///
/// - The batch is split into `chunkCount` contiguous chunks (one per worker).
/// - Inside a chunk, `groupSize` images share one GEMM (their column matrices side by side) when a single image's
///   column matrix is small (8x8, 4x4, 2x2 maps).
/// - When one image's column matrix is larger than `columnBudget` (32x32 maps with many channels), it is built
///   and multiplied in bands of `bandRows` output rows, so the columns stay cache-sized.
/// - A 1x1 stride-1 unpadded convolution with `groupSize == 1` multiplies the image itself (no columns).
/// - Maps of at most `wholeBatchMaxPixels` output pixels use `Conv2DWholeBatch` instead: one GEMM over the whole
///   batch, split over the workers by blocks of its result.
struct Conv2DPlan {
    /// Floats (1 MiB) one GEMM's column matrix may reach. Measured on ResNet-18's layers at batch 32
    /// (tools/bench/conv `--group N` sweeps): the best group kept the columns near this size at 8x8, 4x4 and 2x2
    /// (2, 4 and 16 images); per-image GEMMs won at 16x16 and 32x32.
    static let columnBudget = 262_144

    /// Whether stride-1 convolutions compute the input gradient as a convolution of the output gradient with the
    /// flipped, transposed kernel (see `conv2dBackward`).
    static let transposedInputGradient = false

    let geometry: ConvolutionGeometry
    let outChannels: Int
    let batch: Int
    let chunkCount: Int
    let groupSize: Int
    let bandRows: Int

    /// Whether the call uses `Conv2DWholeBatch` (one GEMM over the batch, split over workers by output blocks).
    let wholeBatch: Bool

    init(geometry: ConvolutionGeometry, outChannels: Int, batch: Int, groupSize: Int?, bandRows: Int?,
         wholeBatch: Bool? = nil) {
        self.geometry = geometry
        self.outChannels = outChannels
        self.batch = batch
        self.wholeBatch = wholeBatch ?? Conv2DPlan.prefersWholeBatch(geometry, batch: batch)
        chunkCount = max(1, min(EngineThreads.workerCount, batch))
        let imagesPerChunk = (batch + chunkCount - 1) / chunkCount
        let perImage = max(geometry.columnRows * geometry.outputPixels, 1)
        let group = groupSize ?? (Conv2DPlan.columnBudget / perImage)
        self.groupSize = max(1, min(group, max(imagesPerChunk, 1)))
        if self.groupSize > 1 || geometry.isPointwise {
            self.bandRows = geometry.outputHeight
        } else if let bandRows {
            self.bandRows = max(1, min(bandRows, geometry.outputHeight))
        } else {
            let bands = (perImage + Conv2DPlan.columnBudget - 1) / Conv2DPlan.columnBudget
            self.bandRows = (geometry.outputHeight + bands - 1) / bands
        }
    }

    /// Automatic choice of the whole-batch layout: small maps (at most `wholeBatchMaxPixels` output pixels).
    static func prefersWholeBatch(_ geometry: ConvolutionGeometry, batch: Int) -> Bool {
        geometry.outputPixels <= wholeBatchMaxPixels && batch > 1
    }

    /// Largest output map (pixels) that uses the whole-batch layout automatically: 4x4 and 2x2. Measured with
    /// `bench-conv --whole-batch yes|no` (CPU time, batch 32, loaded machine): about 15% faster for 512-channel 4x4
    /// maps and 5-10% at 2x2; no gain at 8x8; slower at 16x16.
    static let wholeBatchMaxPixels = 16

    /// Automatic choice of Winograd F(2x2, 3x3) (`Conv2DWinograd`) for a 3x3 stride-1 padding-1 convolution's
    /// forward and input gradient. Decided per shape by `tools/bench/conv` (docs/engine.md, "Winograd").
    static func prefersWinograd(_ geometry: ConvolutionGeometry, outChannels: Int) -> Bool {
        Conv2DWinograd.supports(geometry) && geometry.channels >= winogradMinChannels
            && outChannels >= winogradMinChannels && geometry.outputPixels > winogradMaxSkippedPixels
            && winogradEnabled
    }

    /// Maps of at most this many output pixels (2x2 and smaller: one tile per image, too few GEMM columns) keep
    /// im2col: measured 0.76-0.85x of the whole-batch im2col CPU time at 2x2, 512 channels.
    static let winogradMaxSkippedPixels = 4

    /// `false` when the environment variable `FEDNC_WINOGRAD` is `0`: Winograd and the dense-map layout off (A/B
    /// measurements of whole training steps against plain im2col + GEMM).
    static let winogradEnabled: Bool = ProcessInfo.processInfo.environment["FEDNC_WINOGRAD"] != "0"

    /// Automatic choice of the dense-map layout (`Conv2DDenseMap`) for 3x3 stride-1 padding-1 convolutions of 2x2
    /// maps (where Winograd loses), same channel floor and `FEDNC_WINOGRAD` switch as Winograd.
    static func prefersDenseMap(_ geometry: ConvolutionGeometry, outChannels: Int) -> Bool {
        Conv2DDenseMap.supports(geometry) && geometry.channels >= winogradMinChannels
            && outChannels >= winogradMinChannels && winogradEnabled
    }

    /// How convolutions run in this process, for benchmark context: Winograd on or off (`FEDNC_WINOGRAD`) and
    /// where im2col + GEMM remains.
    static var pathDescription: String {
        winogradEnabled
            ? "Winograd F(2x2,3x3) for 3x3 stride-1 (>= \(winogradMinChannels) channels, maps > 2x2), dense layer "
                + "at 2x2, im2col + GEMM for the rest"
            : "im2col + GEMM everywhere (FEDNC_WINOGRAD=0)"
    }

    /// Fewer channels than this (the 3-channel CIFAR stem) keep im2col.
    static let winogradMinChannels = 16

    /// Whether GEMMs read an im2col matrix (false only for pointwise convolutions one image at a time).
    var usesColumns: Bool { !(geometry.isPointwise && groupSize == 1) }

    /// Floats of one worker's column buffer.
    var columnCapacity: Int {
        guard usesColumns else { return 0 }
        return groupSize > 1 ? geometry.columnRows * groupSize * geometry.outputPixels
            : geometry.columnRows * bandRows * geometry.outputWidth
    }

    /// Floats of one worker's `[O, group * pixels]` output (or output-gradient) staging buffer.
    var stagingCapacity: Int { groupSize > 1 ? outChannels * groupSize * geometry.outputPixels : 0 }

    /// The output-row bands of one image.
    var bands: [Range<Int>] {
        stride(from: 0, to: geometry.outputHeight, by: bandRows).map { $0..<min($0 + bandRows, geometry.outputHeight) }
    }
}
