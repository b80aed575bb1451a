import Testing
@_spi(HostStorage) import TensorEngine

@Suite("Batched matmul")
struct BatchedMatmulTests {
    /// Attention-like layout: 3 samples of 4 rows, 2 heads of width 3 side by side in rows of `width` columns.
    static let (samples, heads, rows, headWidth) = (3, 2, 4, 3)

    /// Direct loop in Double over every block: `C_sh = alpha op(A_sh) op(B_sh) + beta C_sh`, or with a C sample
    /// stride of 0 the sum over samples added to C.
    static func reference(_ a: Tensor, _ aBlocks: MatrixBlocks, _ b: Tensor, _ bBlocks: MatrixBlocks, c: Tensor,
                          _ cBlocks: MatrixBlocks, m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool,
                          alpha: Float, beta: Float) -> [Float] {
        var result = c.storage.map(Double.init)
        let summed = cBlocks.sampleStride == 0
        for sample in 0..<samples {
            for head in 0..<heads {
                let aStart = aBlocks.offset + sample * aBlocks.sampleStride + head * aBlocks.headStride
                let bStart = bBlocks.offset + sample * bBlocks.sampleStride + head * bBlocks.headStride
                let cStart = cBlocks.offset + sample * cBlocks.sampleStride + head * cBlocks.headStride
                for i in 0..<m {
                    for j in 0..<n {
                        var sum = 0.0
                        for p in 0..<k {
                            let (aRow, aColumn) = transposeA ? (p, i) : (i, p)
                            let (bRow, bColumn) = transposeB ? (j, p) : (p, j)
                            sum += Double(a.storage[aStart + aRow * aBlocks.rowStride + aColumn])
                                * Double(b.storage[bStart + bRow * bBlocks.rowStride + bColumn])
                        }
                        let index = cStart + i * cBlocks.rowStride + j
                        result[index] = Double(alpha) * sum + (summed ? result[index] : Double(beta) * result[index])
                    }
                }
            }
        }
        return result.map(Float.init)
    }

    @Test("Per-head blocks inside row-major tensors match a direct loop, all transposes, shared A",
          arguments: [(false, false), (true, false), (false, true), (true, true)])
    func blocks(flags: (Bool, Bool)) {
        let (samples, heads, rows, width) = (Self.samples, Self.heads, Self.rows, Self.headWidth)
        var values = TestValues(seed: 21)
        // A: one [rows, rows] block per sample and head; B: head columns of [samples * rows, heads * width];
        // C: the same layout as B, over a non-zero C (beta 0.5).
        let a = values.tensor([samples * heads * rows * rows])
        let aBlocks = MatrixBlocks(sampleStride: heads * rows * rows, headStride: rows * rows, rowStride: rows)
        let b = values.tensor([samples * rows, heads * width + 1])
        let bBlocks = MatrixBlocks(offset: 1, sampleStride: rows * (heads * width + 1), headStride: width,
                                   rowStride: heads * width + 1)
        var c = values.tensor([samples * rows, heads * width])
        let cBlocks = MatrixBlocks(sampleStride: rows * heads * width, headStride: width, rowStride: heads * width)
        let (transposeA, transposeB) = flags
        // op(B) is [rows, width]: stored transposed it is [width, rows], so read it from a B laid out that way.
        let bTransposed = values.tensor([samples * heads * width * rows])
        let bTransposedBlocks = MatrixBlocks(sampleStride: heads * width * rows, headStride: width * rows,
                                             rowStride: rows)
        let (bUsed, bUsedBlocks) = transposeB ? (bTransposed, bTransposedBlocks) : (b, bBlocks)
        let expected = Self.reference(a, aBlocks, bUsed, bUsedBlocks, c: c, cBlocks, m: rows, n: width, k: rows,
                                      transposeA: transposeA, transposeB: transposeB, alpha: 2, beta: 0.5)
        cpu.batchedMatmul(a, aBlocks, bUsed, bUsedBlocks, into: &c, cBlocks, samples: samples, heads: heads, m: rows,
                          n: width, k: rows, transposeA: transposeA, transposeB: transposeB, alpha: 2, beta: 0.5)
        #expect(maxAbsDifference(c.storage, expected) < 1e-5)

        // A shared by every sample (sample stride 0), as multi-head attention's learned queries.
        let shared = MatrixBlocks(sampleStride: 0, headStride: rows * rows, rowStride: rows)
        var overwritten = Tensor(shape: c.shape, repeating: .nan)
        let sharedExpected = Self.reference(a, shared, b, bBlocks, c: Tensor.zeros(c.shape), cBlocks, m: rows,
                                            n: width, k: rows, transposeA: transposeA, transposeB: false, alpha: 1,
                                            beta: 0)
        cpu.batchedMatmul(a, shared, b, bBlocks, into: &overwritten, cBlocks, samples: samples, heads: heads,
                          m: rows, n: width, k: rows, transposeA: transposeA, alpha: 1)
        #expect(maxAbsDifference(overwritten.storage, sharedExpected) < 1e-5, "beta 0 overwrites NaN")
    }

    @Test("A C sample stride of 0 sums every sample's product into C, reproducibly")
    func summedOverSamples() {
        let (samples, heads, rows, width) = (Self.samples, Self.heads, Self.rows, Self.headWidth)
        var values = TestValues(seed: 22)
        let a = values.tensor([samples * heads * rows * rows])
        let aBlocks = MatrixBlocks(sampleStride: heads * rows * rows, headStride: rows * rows, rowStride: rows)
        let b = values.tensor([samples * rows, heads * width])
        let bBlocks = MatrixBlocks(sampleStride: rows * heads * width, headStride: width, rowStride: heads * width)
        let start = values.tensor([rows, heads * width])
        let cBlocks = MatrixBlocks(sampleStride: 0, headStride: width, rowStride: heads * width)
        let expected = Self.reference(a, aBlocks, b, bBlocks, c: start, cBlocks, m: rows, n: width, k: rows,
                                      transposeA: true, transposeB: false, alpha: 0.5, beta: 1)
        func run() -> Tensor {
            var c = start
            cpu.batchedMatmul(a, aBlocks, b, bBlocks, into: &c, cBlocks, samples: samples, heads: heads, m: rows,
                              n: width, k: rows, transposeA: true, alpha: 0.5, beta: 1)
            return c
        }
        let (first, second) = (run(), run())
        #expect(maxAbsDifference(first.storage, expected) < 1e-5)
        #expect(first.storage == second.storage, "the per-worker partial sums are added in a fixed order")
    }
}
