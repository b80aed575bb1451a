import CEngineKernels
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

    /// Input transform `B^T d B` of one row of tiles: `tiles` patches whose four input rows start at `r0`..`r3`
    /// (a zero-padded plane, patch `t` at columns `2t ..< 2t + 4`). Element `e` of patch `t` goes to
    /// `v[e * elementStride + t]`. Runs the C kernel cloned per instruction set (CEngineKernels).
    @inline(__always)
    static func transformInputRow(
        _ r0: UnsafePointer<Float>, _ r1: UnsafePointer<Float>, _ r2: UnsafePointer<Float>,
        _ r3: UnsafePointer<Float>, tiles: Int, into v: UnsafeMutablePointer<Float>, elementStride: Int
    ) {
        fednc_winograd_input_row(r0, r1, r2, r3, tiles, v, elementStride)
    }

    /// Output transform `A^T m A` of one row of tiles: element `e` of tile `t` is read from
    /// `m[e * elementStride + t]`; the 2x2 results go to rows `y0` and `y1` (nil when the bottom row falls outside
    /// an odd-height map) at columns `2t, 2t + 1`, the last column dropped when `width` is odd. Adds `bias`.
    /// Runs the C kernel cloned per instruction set (CEngineKernels).
    @inline(__always)
    static func transformOutputRow(
        _ m: UnsafePointer<Float>, elementStride: Int, tiles: Int, width: Int, bias: Float,
        _ y0: UnsafeMutablePointer<Float>, _ y1: UnsafeMutablePointer<Float>?
    ) {
        fednc_winograd_output_row(m, elementStride, tiles, width, bias, y0, y1)
    }

    /// Output-gradient transform `A dY A^T` of one row of 2x2 tiles (the adjoint of the output transform): tile `t`
    /// reads rows `y0`, `y1` at columns `2t, 2t + 1` (a zero-padded plane of even width); element `e` goes to
    /// `dm[e * elementStride + t]`. Runs the C kernel cloned per instruction set (CEngineKernels).
    @inline(__always)
    static func transformOutputGradientRow(
        _ y0: UnsafePointer<Float>, _ y1: UnsafePointer<Float>, tiles: Int, into dm: UnsafeMutablePointer<Float>,
        elementStride: Int
    ) {
        fednc_winograd_output_gradient_row(y0, y1, tiles, dm, elementStride)
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
