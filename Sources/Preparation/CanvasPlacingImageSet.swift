/// A source image set that draws an image straight onto a composite canvas, without an H x W x C scratch copy
/// (CIFAR-10's planar records are interleaved on the way). `CompositeSplitProducer` uses it when the set offers
/// it, and otherwise copies each image out and merges it.
public protocol CanvasPlacingImageSet: SourceImageSet {
    /// Draws image `index` with its top-left pixel at byte `offset` of `canvas` (an interleaved canvas whose
    /// rows are `canvasRowBytes` apart): `merge` false overwrites the covered bytes, true keeps the per-byte
    /// maximum with what the canvas holds. The image's `height` rows must lie inside `canvas`.
    func place(_ index: Int, into canvas: UnsafeMutableBufferPointer<UInt8>, at offset: Int, canvasRowBytes: Int,
               merge: Bool)
}
