/// Winograd F(2x2, 3x3) convolution for 3x3, stride-1, padding-1 layers (`WinogradTransforms`): 16 multiplications
/// per 2x2 output tile instead of im2col's 36, at the cost of cheap transforms.
///
/// Batched formulation. The batch is split into one contiguous chunk of images per worker
/// (`EngineThreads.parallelChunks`); a worker takes its images in groups of about `tileTarget` tiles `T` and
/// transforms the group's input tiles to `v` `[16][C][T]` (each channel first copied into a zero-padded plane, so
/// no tile needs bounds checks). Then, per element `e` of the 4x4 transformed tile, one single-threaded GEMM:
/// - forward: `m[e] [K, T] = u[e] [K, C] x v[e] [C, T]` with the kernels transformed once per call to `u`
///   `[16][K][C]`, then `m` inverse-transformed into the group's outputs;
/// - weight gradient: `du[e] [K, C] += dm[e] [K, T] x v[e]^T [T, C]`, `dm` the output gradient's tiles
///   transformed by `A dY A^T`; per-worker `du` are added in worker order and mapped back by `G^T du G`.
/// The input gradient is the forward convolution of the output gradient with the flipped, transposed kernel,
/// whose transform is read off the forward's (`convolve(adjoint: true)`). Every output element is computed in a
/// fixed order for a fixed worker count: bitwise reproducible.
enum Conv2DWinograd {
    /// Tiles per group (GEMM width) when the caller does not choose: enough columns for an efficient GEMM while the
    /// group's `v` and `m` stay near 1 MiB (64 channels). Swept 64-1024 with tools/bench/conv (docs/engine.md).
    static let defaultTileTarget = 128

    /// Floats between consecutive element matrices of `u`, `v`, `m` (and the gradients' `dm`, `du`) holding `count`
    /// floats each: `count` rounded up to 1024 floats plus 16, so the 16 streams a transform writes (or reads) at
    /// once start 64 bytes apart modulo 4 KiB instead of on the same cache sets (a 4 KiB multiple made them
    /// evict each other in L1).
    static func elementStride(_ count: Int) -> Int { (count + 1023) / 1024 * 1024 + 16 }

    /// Whether the shape is one Winograd F(2x2, 3x3) computes: 3x3 kernel, stride 1, padding 1 (same-size output).
    static func supports(_ g: ConvolutionGeometry) -> Bool {
        g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1 && g.padding == 1
    }

    /// Sizes of one call: maps `[N, C, H, W]` in, `[N, K, H, W]` out, their tiling and the per-worker grouping.
    struct Layout {
        let batch, channels, height, width, outChannels: Int
        let tilesHigh, tilesWide, tilesPerImage: Int
        /// Workers (contiguous image chunks) and images per GEMM group.
        let chunkCount, groupSize: Int
        /// The zero-padded input plane: `2 * tilesHigh + 2` rows of `2 * tilesWide + 2`.
        let paddedHeight, paddedWidth: Int

        init(batch: Int, channels: Int, height: Int, width: Int, outChannels: Int, tileTarget: Int?) {
            (self.batch, self.channels, self.height, self.width, self.outChannels) =
                (batch, channels, height, width, outChannels)
            tilesHigh = (height + 1) / 2
            tilesWide = (width + 1) / 2
            tilesPerImage = tilesHigh * tilesWide
            chunkCount = max(1, min(EngineThreads.workerCount, batch))
            let imagesPerChunk = (batch + chunkCount - 1) / chunkCount
            groupSize = max(1, min(imagesPerChunk, (tileTarget ?? Conv2DWinograd.defaultTileTarget) / tilesPerImage))
            paddedHeight = 2 * tilesHigh + 2
            paddedWidth = 2 * tilesWide + 2
        }

        /// Tiles of the largest group.
        var maxTiles: Int { groupSize * tilesPerImage }
        var mapSize: Int { height * width }

        /// Calls `body(start, count)` for the consecutive image groups of `images`.
        func forEachGroup(_ images: Range<Int>, _ body: (Int, Int) -> Void) {
            var start = images.lowerBound
            while start < images.upperBound {
                let count = min(groupSize, images.upperBound - start)
                body(start, count)
                start += count
            }
        }

        /// Input transform of images `start ..< start + count` (`channelCount` channels each, read from `x`)
        /// into `v` `[16][channelCount][tiles]` (element matrices `elementStride(channelCount * tiles)` apart);
        /// `plane` is a zeroed `paddedHeight * paddedWidth` buffer whose border stays zero.
        func transformInputs(
            _ x: UnsafePointer<Float>, channelCount: Int, start: Int, count: Int, plane: UnsafeMutablePointer<Float>,
            into v: UnsafeMutablePointer<Float>
        ) {
            let tiles = count * tilesPerImage
            for index in 0..<count {
                let image = x + (start + index) * channelCount * mapSize
                for channel in 0..<channelCount {
                    let source = image + channel * mapSize
                    for row in 0..<height {
                        (plane + (row + 1) * paddedWidth + 1).update(from: source + row * width, count: width)
                    }
                    let destination = v + channel * tiles + index * tilesPerImage
                    for tileRow in 0..<tilesHigh {
                        let top = plane + 2 * tileRow * paddedWidth
                        WinogradTransforms.transformInputRow(
                            top, top + paddedWidth, top + 2 * paddedWidth, top + 3 * paddedWidth,
                            tiles: tilesWide, into: destination + tileRow * tilesWide,
                            elementStride: Conv2DWinograd.elementStride(channelCount * tiles))
                    }
                }
            }
        }
    }

    /// `y[N, K, H, W] = conv(x[N, C, H, W]) (+ bias[K])` for the transformed kernels `u` `[16][K][C]`; `y` is
    /// fully overwritten. With `adjoint`, `u` holds the transformed kernels of the forward convolution this is
    /// the adjoint of, `[16][C][K]`: since `G J = Q G` for the 3x3 reversal `J` and the permutation `Q` swapping
    /// rows 0 and 3, the flipped kernel transforms to `Q (G g G^T) Q^T`, so element `e = 4i + j` of the adjoint's
    /// kernels is the forward's element `4 q(i) + q(j)`, transposed (`adjointElement`).
    static func adjointElement(_ element: Int) -> Int {
        @inline(__always) func q(_ index: Int) -> Int { index == 0 ? 3 : index == 3 ? 0 : index }
        return 4 * q(element / 4) + q(element % 4)
    }

    static func convolve(
        _ layout: Layout, x: UnsafePointer<Float>, u: UnsafePointer<Float>, bias: [Float]?,
        y: UnsafeMutablePointer<Float>, adjoint: Bool = false
    ) {
        if layout.batch == 0 { return }
        let (channels, outChannels, height, width) = (layout.channels, layout.outChannels, layout.height, layout.width)
        let pool = ScratchPool.shared
        EngineThreads.parallelChunks(total: layout.batch, chunkCount: layout.chunkCount) { _, images in
            pool.withBuffer(count: 16 * elementStride(channels * layout.maxTiles)) { v in
                pool.withBuffer(count: 16 * elementStride(outChannels * layout.maxTiles)) { m in
                    pool.withBuffer(count: layout.paddedHeight * layout.paddedWidth) { plane in
                        plane.initialize(repeating: 0, count: layout.paddedHeight * layout.paddedWidth)
                        layout.forEachGroup(images) { start, count in
                            let tiles = count * layout.tilesPerImage
                            layout.transformInputs(x, channelCount: channels, start: start, count: count,
                                                   plane: plane, into: v)
                            for element in 0..<16 {
                                // The adjoint reads the forward kernels' element q(e) transposed (see `adjoint`).
                                let kernels = adjoint ? Conv2DWinograd.adjointElement(element) : element
                                matmul(u + kernels * elementStride(outChannels * channels),
                                       v + element * elementStride(channels * tiles),
                                       m + element * elementStride(outChannels * tiles), m: outChannels, n: tiles,
                                       k: channels,
                                       transposeA: adjoint)
                            }
                            for index in 0..<count {
                                let image = y + (start + index) * outChannels * layout.mapSize
                                for channel in 0..<outChannels {
                                    let map = image + channel * layout.mapSize
                                    let source = m + channel * tiles + index * layout.tilesPerImage
                                    let value = bias?[channel] ?? 0
                                    for tileRow in 0..<layout.tilesHigh {
                                        let top = map + 2 * tileRow * width
                                        WinogradTransforms.transformOutputRow(
                                            source + tileRow * layout.tilesWide,
                                            elementStride: elementStride(outChannels * tiles),
                                            tiles: layout.tilesWide, width: width, bias: value, top,
                                            2 * tileRow + 1 < height ? top + width : nil)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
