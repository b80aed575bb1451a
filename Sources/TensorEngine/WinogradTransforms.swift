/// The three transforms of Winograd's minimal filtering algorithm F(2x2, 3x3) (Lavin and Gray, 2015): a 2x2
/// output tile of a 3x3 convolution is `A^T [(G g G^T) .* (B^T d B)] A` for the 4x4 input patch `d` under it,
/// 16 multiplications instead of 36. With
///
///     B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
///     G   = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]
///     A^T = [1 1 1 0; 0 1 -1 -1]
///
/// Transformed values are stored element-major: element `e = 4 * i + j` of tile `t` of channel `c` lives at
/// `v[e * elementStride + c * channelStride + t]`, so each of the 16 elements is one GEMM operand.
enum WinogradTransforms {
    /// Kernel transform `G g G^T` of every 3x3 kernel of `weight` into `u` `[16][rows][columns]`, element matrices
    /// `elementStride` floats apart (at least `rows * columns`).
    ///
    /// `weight` is OIHW `[rows, columns, 3, 3]` and `u[e][o][c]` transforms `weight[o, c]`. Rows are split over the
    /// workers.
    static func transformKernels(
        _ weight: UnsafePointer<Float>, rows: Int, columns: Int, into u: UnsafeMutablePointer<Float>,
        elementStride: Int
    ) {
        let addressW = Int(bitPattern: weight), addressU = Int(bitPattern: u)
        EngineThreads.parallelChunks(total: rows) { _, range in
            let w = UnsafePointer<Float>(bitPattern: addressW)!, u = UnsafeMutablePointer<Float>(bitPattern: addressU)!
            for row in range {
                for column in 0..<columns {
                    let k = w + (row * columns + column) * 9
                    let g = (k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8])
                    // Rows of G g (4 x 3), then (G g) G^T (4 x 4).
                    let r0 = (g.0, g.1, g.2)
                    let r1 = (0.5 * (g.0 + g.3 + g.6), 0.5 * (g.1 + g.4 + g.7), 0.5 * (g.2 + g.5 + g.8))
                    let r2 = (0.5 * (g.0 - g.3 + g.6), 0.5 * (g.1 - g.4 + g.7), 0.5 * (g.2 - g.5 + g.8))
                    let r3 = (g.6, g.7, g.8)
                    let destination = u + row * columns + column
                    @inline(__always) func store(_ r: (Float, Float, Float), _ index: Int) {
                        let base = destination + 4 * index * elementStride
                        base[0] = r.0
                        base[elementStride] = 0.5 * (r.0 + r.1 + r.2)
                        base[2 * elementStride] = 0.5 * (r.0 - r.1 + r.2)
                        base[3 * elementStride] = r.2
                    }
                    store(r0, 0)
                    store(r1, 1)
                    store(r2, 2)
                    store(r3, 3)
                }
            }
        }
    }

    /// `B^T d B` of a block of patches in SIMD lanes: `dK.j` is column `j` of row `K` of every patch; element `e`
    /// is stored at `p + e * stride` bytes.
    @inline(__always)
    static func inputBlock<V: SIMD>(
        _ d0: (V, V, V, V), _ d1: (V, V, V, V), _ d2: (V, V, V, V), _ d3: (V, V, V, V),
        to p: UnsafeMutableRawPointer, stride: Int
    ) where V.Scalar == Float {
        @inline(__always) func store(_ row: (V, V, V, V), _ index: Int) {
            let base = p + 4 * index * stride
            base.storeBytes(of: row.0 - row.2, as: V.self)
            (base + stride).storeBytes(of: row.1 + row.2, as: V.self)
            (base + 2 * stride).storeBytes(of: row.2 - row.1, as: V.self)
            (base + 3 * stride).storeBytes(of: row.1 - row.3, as: V.self)
        }
        store((d0.0 - d2.0, d0.1 - d2.1, d0.2 - d2.2, d0.3 - d2.3), 0)
        store((d1.0 + d2.0, d1.1 + d2.1, d1.2 + d2.2, d1.3 + d2.3), 1)
        store((d2.0 - d1.0, d2.1 - d1.1, d2.2 - d1.2, d2.3 - d1.3), 2)
        store((d1.0 - d3.0, d1.1 - d3.1, d1.2 - d3.2, d1.3 - d3.3), 3)
    }

    /// Input transform `B^T d B` of one row of tiles: `tiles` patches whose four input rows start at `r0`..`r3`
    /// (a zero-padded plane, patch `t` at columns `2t ..< 2t + 4`). Element `e` of patch `t` goes to
    /// `v[e * elementStride + t]`. Eight (then four) tiles at a time in SIMD lanes (even and odd columns split out of double-width
    /// loads), the remainder one by one; both compute the same expressions, so results do not depend on the split.
    @inline(__always)
    static func transformInputRow(
        _ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ r2: UnsafePointer<Float>,
        _ r3: UnsafePointer<Float>, tiles: Int, into v: UnsafeMutablePointer<Float>, elementStride: Int
    ) {
        let s = elementStride
        var tile = 0
        let stride = s * MemoryLayout<Float>.stride
        while tile + 8 <= tiles {
            let x = 2 * tile
            // Columns j = 0...3 of the eight patches of each row: lanes are tiles.
            @inline(__always) func columns(_ row: UnsafePointer<Float>) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
                let low = UnsafeRawPointer(row + x).loadUnaligned(as: SIMD16<Float>.self)
                let high = UnsafeRawPointer(row + x + 2).loadUnaligned(as: SIMD16<Float>.self)
                return (low.evenHalf, low.oddHalf, high.evenHalf, high.oddHalf)
            }
            inputBlock(columns(r0), columns(r1), columns(r2), columns(r3), to: UnsafeMutableRawPointer(v + tile),
                       stride: stride)
            tile += 8
        }
        if tile + 4 <= tiles {
            let x = 2 * tile
            @inline(__always) func columns(_ row: UnsafePointer<Float>) -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) {
                let low = UnsafeRawPointer(row + x).loadUnaligned(as: SIMD8<Float>.self)
                let high = UnsafeRawPointer(row + x + 2).loadUnaligned(as: SIMD8<Float>.self)
                return (low.evenHalf, low.oddHalf, high.evenHalf, high.oddHalf)
            }
            inputBlock(columns(r0), columns(r1), columns(r2), columns(r3), to: UnsafeMutableRawPointer(v + tile),
                       stride: stride)
            tile += 4
        }
        while tile < tiles {
            let x = 2 * tile
            // B^T d: four rows of four.
            let a0 = r0[x] - r2[x], a1 = r0[x + 1] - r2[x + 1], a2 = r0[x + 2] - r2[x + 2], a3 = r0[x + 3] - r2[x + 3]
            let b0 = r1[x] + r2[x], b1 = r1[x + 1] + r2[x + 1], b2 = r1[x + 2] + r2[x + 2], b3 = r1[x + 3] + r2[x + 3]
            let c0 = r2[x] - r1[x], c1 = r2[x + 1] - r1[x + 1], c2 = r2[x + 2] - r1[x + 2], c3 = r2[x + 3] - r1[x + 3]
            let d0 = r1[x] - r3[x], d1 = r1[x + 1] - r3[x + 1], d2 = r1[x + 2] - r3[x + 2], d3 = r1[x + 3] - r3[x + 3]
            // (B^T d) B: the same combination along each row.
            let p = v + tile
            p[0] = a0 - a2; p[s] = a1 + a2; p[2 * s] = a2 - a1; p[3 * s] = a1 - a3
            p[4 * s] = b0 - b2; p[5 * s] = b1 + b2; p[6 * s] = b2 - b1; p[7 * s] = b1 - b3
            p[8 * s] = c0 - c2; p[9 * s] = c1 + c2; p[10 * s] = c2 - c1; p[11 * s] = c1 - c3
            p[12 * s] = d0 - d2; p[13 * s] = d1 + d2; p[14 * s] = d2 - d1; p[15 * s] = d1 - d3
            tile += 1
        }
    }

    /// `A^T m A` of a block of tiles in SIMD lanes (lane = tile): element `e` of the lanes' tiles is read from
    /// `m + e * elementStride`. Returns the even and odd output columns of the top row plus `bias`, and of the
    /// bottom row when `bottom` is true.
    @inline(__always)
    static func outputBlock<V: SIMD>(
        _ m: UnsafePointer<Float>, elementStride: Int, bias: Float, as _: V.Type, bottom: Bool
    ) -> (top: (V, V), bottom: (V, V)?) where V.Scalar == Float {
        @inline(__always) func load(_ element: Int) -> V {
            UnsafeRawPointer(m + element * elementStride).loadUnaligned(as: V.self)
        }
        let m4 = load(4), m5 = load(5), m6 = load(6), m7 = load(7)
        let m8 = load(8), m9 = load(9), m10 = load(10), m11 = load(11)
        let a0 = load(0) + m4 + m8, a1 = load(1) + m5 + m9, a2 = load(2) + m6 + m10, a3 = load(3) + m7 + m11
        let top = (a0 + a1 + a2 + bias, a1 - a2 - a3 + bias)
        guard bottom else { return (top, nil) }
        let b0 = m4 - m8 - load(12), b1 = m5 - m9 - load(13)
        let b2 = m6 - m10 - load(14), b3 = m7 - m11 - load(15)
        return (top, (b0 + b1 + b2 + bias, b1 - b2 - b3 + bias))
    }

    /// Output transform `A^T m A` of one row of tiles: element `e` of tile `t` is read from
    /// `m[e * elementStride + t]`; the 2x2 results go to rows `y0` and `y1` (nil when the bottom row falls outside
    /// an odd-height map) at columns `2t, 2t + 1`, the last column dropped when `width` is odd. Adds `bias`.
    /// Eight (then four) tiles at a time in SIMD lanes while their output columns fit, the remainder one by one (same
    /// expressions).
    @inline(__always)
    static func transformOutputRow(
        _ m: UnsafePointer<Float>, elementStride: Int, tiles: Int, width: Int, bias: Float,
        _ y0: UnsafeMutablePointer<Float>, _ y1: UnsafeMutablePointer<Float>?
    ) {
        let s = elementStride
        var tile = 0
        while tile + 8 <= tiles && 2 * tile + 16 <= width {
            let (top, bottom) = outputBlock(m + tile, elementStride: s, bias: bias, as: SIMD8<Float>.self, bottom: y1 != nil)
            var row = SIMD16<Float>()
            (row.evenHalf, row.oddHalf) = top
            UnsafeMutableRawPointer(y0 + 2 * tile).storeBytes(of: row, as: SIMD16<Float>.self)
            if let y1, let bottom {
                (row.evenHalf, row.oddHalf) = bottom
                UnsafeMutableRawPointer(y1 + 2 * tile).storeBytes(of: row, as: SIMD16<Float>.self)
            }
            tile += 8
        }
        if tile + 4 <= tiles && 2 * tile + 8 <= width {
            let (top, bottom) = outputBlock(m + tile, elementStride: s, bias: bias, as: SIMD4<Float>.self, bottom: y1 != nil)
            var row = SIMD8<Float>()
            (row.evenHalf, row.oddHalf) = top
            UnsafeMutableRawPointer(y0 + 2 * tile).storeBytes(of: row, as: SIMD8<Float>.self)
            if let y1, let bottom {
                (row.evenHalf, row.oddHalf) = bottom
                UnsafeMutableRawPointer(y1 + 2 * tile).storeBytes(of: row, as: SIMD8<Float>.self)
            }
            tile += 4
        }
        while tile < tiles {
            let p = m + tile
            // A^T m: two rows of four.
            let a0 = p[0] + p[4 * s] + p[8 * s], a1 = p[s] + p[5 * s] + p[9 * s]
            let a2 = p[2 * s] + p[6 * s] + p[10 * s], a3 = p[3 * s] + p[7 * s] + p[11 * s]
            let x = 2 * tile
            y0[x] = a0 + a1 + a2 + bias
            if x + 1 < width { y0[x + 1] = a1 - a2 - a3 + bias }
            if let y1 {
                let b0 = p[4 * s] - p[8 * s] - p[12 * s], b1 = p[5 * s] - p[9 * s] - p[13 * s]
                let b2 = p[6 * s] - p[10 * s] - p[14 * s], b3 = p[7 * s] - p[11 * s] - p[15 * s]
                y1[x] = b0 + b1 + b2 + bias
                if x + 1 < width { y1[x + 1] = b1 - b2 - b3 + bias }
            }
            tile += 1
        }
    }

    /// `A dY A^T` of a block of 2x2 tiles `[[p, q], [r, t]]` in SIMD lanes; element `e` is stored at
    /// `base + e * stride` bytes.
    @inline(__always)
    static func outputGradientBlock<V: SIMD>(
        _ p: V, _ q: V, _ r: V, _ t: V, to base: UnsafeMutableRawPointer, stride: Int
    ) where V.Scalar == Float {
        // Rows of A dY: (p, q), (p + r, q + t), (p - r, q - t), (-r, -t); each row (u, w) -> (u, u + w, u - w, -w).
        @inline(__always) func store(_ u: V, _ w: V, _ index: Int) {
            let row = base + 4 * index * stride
            row.storeBytes(of: u, as: V.self)
            (row + stride).storeBytes(of: u + w, as: V.self)
            (row + 2 * stride).storeBytes(of: u - w, as: V.self)
            (row + 3 * stride).storeBytes(of: -w, as: V.self)
        }
        store(p, q, 0)
        store(p + r, q + t, 1)
        store(p - r, q - t, 2)
        store(-r, -t, 3)
    }

    /// Output-gradient transform `A dY A^T` of one row of 2x2 tiles (the adjoint of the output transform): tile `t`
    /// reads rows `y0`, `y1` at columns `2t, 2t + 1` (a zero-padded plane of even width); element `e` goes to
    /// `dm[e * elementStride + t]`. Eight (then four) tiles at a time in SIMD lanes, the rest one by one (same expressions).
    @inline(__always)
    static func transformOutputGradientRow(
        _ y0: UnsafePointer<Float>, _ y1: UnsafePointer<Float>, tiles: Int, into dm: UnsafeMutablePointer<Float>,
        elementStride: Int
    ) {
        let s = elementStride
        var tile = 0
        let stride = s * MemoryLayout<Float>.stride
        while tile + 8 <= tiles {
            let top = UnsafeRawPointer(y0 + 2 * tile).loadUnaligned(as: SIMD16<Float>.self)
            let bottom = UnsafeRawPointer(y1 + 2 * tile).loadUnaligned(as: SIMD16<Float>.self)
            outputGradientBlock(top.evenHalf, top.oddHalf, bottom.evenHalf, bottom.oddHalf,
                                to: UnsafeMutableRawPointer(dm + tile), stride: stride)
            tile += 8
        }
        if tile + 4 <= tiles {
            let top = UnsafeRawPointer(y0 + 2 * tile).loadUnaligned(as: SIMD8<Float>.self)
            let bottom = UnsafeRawPointer(y1 + 2 * tile).loadUnaligned(as: SIMD8<Float>.self)
            outputGradientBlock(top.evenHalf, top.oddHalf, bottom.evenHalf, bottom.oddHalf,
                                to: UnsafeMutableRawPointer(dm + tile), stride: stride)
            tile += 4
        }
        while tile < tiles {
            let x = 2 * tile
            let (p, q, r, t) = (y0[x], y0[x + 1], y1[x], y1[x + 1])
            let d = dm + tile
            @inline(__always) func store(_ u: Float, _ w: Float, _ index: Int) {
                let row = d + 4 * index * s
                row[0] = u
                row[s] = u + w
                row[2 * s] = u - w
                row[3 * s] = -w
            }
            store(p, q, 0)
            store(p + r, q + t, 1)
            store(p - r, q - t, 2)
            store(-r, -t, 3)
            tile += 1
        }
    }

    /// Kernel-gradient transform `G^T d G` (the adjoint of the kernel transform): `d` holds the 16 elements of
    /// one transformed-kernel gradient (`e = 4 * i + j`), `kernel` receives the 3x3 gradient row-major.
    @inline(__always)
    static func transformKernelGradient(_ d: UnsafePointer<Float>, into kernel: UnsafeMutablePointer<Float>) {
        // G^T d: three rows of four.
        var z = (SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>())
        let d0 = SIMD4(d[0], d[1], d[2], d[3]), d1 = SIMD4(d[4], d[5], d[6], d[7])
        let d2 = SIMD4(d[8], d[9], d[10], d[11]), d3 = SIMD4(d[12], d[13], d[14], d[15])
        z.0 = d0 + 0.5 * (d1 + d2)
        z.1 = 0.5 * (d1 - d2)
        z.2 = 0.5 * (d1 + d2) + d3
        // (G^T d) G: the same combination along each row.
        @inline(__always) func store(_ row: SIMD4<Float>, _ index: Int) {
            kernel[3 * index] = row[0] + 0.5 * (row[1] + row[2])
            kernel[3 * index + 1] = 0.5 * (row[1] - row[2])
            kernel[3 * index + 2] = 0.5 * (row[1] + row[2]) + row[3]
        }
        store(z.0, 0)
        store(z.1, 1)
        store(z.2, 2)
    }
}
