/// Where the matrices of a batched product sit inside one row-major tensor: the block of sample `s` and head `h`
/// starts at element `offset + s * sampleStride + h * headStride`, its rows `rowStride` elements apart (for
/// example the keys of head `h` inside attention projections `[B*T, 3d]`: offset `d`, sample stride `T * 3d`,
/// head stride `d / heads`, row stride `3d`). A sample stride of 0 shares one block across samples.
public struct MatrixBlocks: Sendable, Equatable {
    public var offset: Int
    public var sampleStride: Int
    public var headStride: Int
    public var rowStride: Int

    public init(offset: Int = 0, sampleStride: Int, headStride: Int, rowStride: Int) {
        self.offset = offset
        self.sampleStride = sampleStride
        self.headStride = headStride
        self.rowStride = rowStride
    }

    /// Element offset of block (`sample`, `head`).
    func start(sample: Int, head: Int) -> Int { offset + sample * sampleStride + head * headStride }

    /// Traps unless every block of `rows x columns` elements lies inside `count` elements.
    func check(_ name: String, rows: Int, columns: Int, samples: Int, heads: Int, count: Int) {
        precondition(offset >= 0 && sampleStride >= 0 && headStride >= 0 && rowStride >= columns,
                     "batchedMatmul: \(name) blocks \(self) cannot hold \(rows) x \(columns) matrices")
        guard rows > 0 && columns > 0 else { return }
        let last = start(sample: samples - 1, head: heads - 1) + (rows - 1) * rowStride + columns
        precondition(last <= count, "batchedMatmul: \(name) block ends at \(last), the tensor has \(count) elements")
    }
}

/// For every sample `s < samples` and head `h < heads`: `C_sh = alpha * op(A_sh) * op(B_sh) + beta * C_sh` with
/// `op(A_sh)` `[m, k]` (stored `[k, m]` with `transposeA`), `op(B_sh)` `[k, n]` (stored `[n, k]` with `transposeB`),
/// `C_sh` `[m, n]`, each located by its `MatrixBlocks`. Parallel over samples, one single-threaded sgemm per
/// block. C blocks must not overlap, except that `cBlocks.sampleStride == 0` sums all samples' products into one
/// C per head (`beta` must then be 1): each worker sums its contiguous chunk of samples into a zeroed partial
/// copy of `c`, and the partials are added to `c` in worker order, so the result is bitwise reproducible for a
/// fixed `EngineThreads.workerCount`.
func batchedMatmul(
    _ a: Tensor, _ aBlocks: MatrixBlocks, _ b: Tensor, _ bBlocks: MatrixBlocks,
    into c: inout Tensor, _ cBlocks: MatrixBlocks, samples: Int, heads: Int, m: Int, n: Int, k: Int,
    transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float
) {
    precondition(samples >= 0 && heads >= 0, "batchedMatmul: \(samples) samples, \(heads) heads")
    if samples == 0 || heads == 0 { return }
    aBlocks.check("A", rows: transposeA ? k : m, columns: transposeA ? m : k, samples: samples, heads: heads,
                  count: a.count)
    bBlocks.check("B", rows: transposeB ? n : k, columns: transposeB ? k : n, samples: samples, heads: heads,
                  count: b.count)
    cBlocks.check("C", rows: m, columns: n, samples: samples, heads: heads, count: c.count)
    let summed = cBlocks.sampleStride == 0 && samples > 1
    precondition(!summed || beta == 1, "batchedMatmul: C blocks shared across samples need beta 1, got \(beta)")
    let (lda, ldb, ldc) = (aBlocks.rowStride, bBlocks.rowStride, cBlocks.rowStride)
    a.withUnsafePointer { pa in
        b.withUnsafePointer { pb in
            guard summed else {
                c.withUnsafeMutablePointer { pc in
                    EngineThreads.parallelFor(samples) { sample in
                        for head in 0..<heads {
                            matmul(pa + aBlocks.start(sample: sample, head: head),
                                   pb + bBlocks.start(sample: sample, head: head),
                                   pc + cBlocks.start(sample: sample, head: head), m: m, n: n, k: k,
                                   transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta,
                                   lda: lda, ldb: ldb, ldc: ldc)
                        }
                    }
                }
                return
            }
            let workers = min(samples, EngineThreads.workerCount)
            let size = c.count
            var partials = Tensor.zeros([workers, size])
            partials.withUnsafeMutablePointer { parts in
                EngineThreads.parallelChunks(total: samples, chunkCount: workers) { worker, chunk in
                    for sample in chunk {
                        for head in 0..<heads {
                            matmul(pa + aBlocks.start(sample: sample, head: head),
                                   pb + bBlocks.start(sample: sample, head: head),
                                   parts + worker * size + cBlocks.start(sample: 0, head: head), m: m, n: n, k: k,
                                   transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: 1,
                                   lda: lda, ldb: ldb, ldc: ldc)
                        }
                    }
                }
            }
            c.withUnsafeMutablePointer { pc in
                partials.withUnsafePointer { parts in
                    for worker in 0..<workers {
                        for index in 0..<size { pc[index] += parts[worker * size + index] }
                    }
                }
            }
        }
    }
}
