import CImageCodecs

/// Planar RGB (the whole R plane, then G, then B; CIFAR-10's record layout) drawn onto an interleaved
/// H x W x 3 canvas by the C kernel in `CPlanarPixels.h` (SSSE3 chosen at run time, portable fallback; both give
/// the same bytes).
package enum PlanarRGB {
    /// Which C path runs: the fastest this CPU has, or the portable one (the tests' reference).
    package enum Kernel: Sendable {
        case fastest, portable
    }

    /// True when `.fastest` runs the SSSE3 path on this CPU.
    package static var hasSSSE3: Bool { fednc_planar_has_ssse3() == 1 }

    /// Draws `planes` (`3 * width * height` bytes) onto `canvas` with its top-left pixel at byte `offset`, rows
    /// `canvasRowBytes` apart; `merge` keeps the per-byte maximum, otherwise the bytes are overwritten.
    package static func place(_ planes: UnsafeRawBufferPointer, width: Int, height: Int,
                              into canvas: UnsafeMutableBufferPointer<UInt8>, at offset: Int, canvasRowBytes: Int,
                              merge: Bool, kernel: Kernel = .fastest) {
        precondition(planes.count >= 3 * width * height, "planar RGB needs 3 x width x height bytes")
        precondition(canvasRowBytes >= 3 * width && offset >= 0
                     && offset + (height - 1) * canvasRowBytes + 3 * width <= canvas.count, "placement outside the canvas")
        let status = fednc_place_planar_rgb(planes.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(width), Int32(height), canvas.baseAddress! + offset,
                                            canvasRowBytes, merge ? 1 : 0,
                                            kernel == .fastest ? FEDNC_PLANAR_FASTEST : FEDNC_PLANAR_PORTABLE)
        precondition(status == 0, "fednc_place_planar_rgb refused its arguments")
    }
}
