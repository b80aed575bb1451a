/// Matrix product over single-threaded sgemm of `GEMMLibrary.current` (oneDNN by default), row-major:
/// `C[M,N] = alpha * op(A)[M,K] * op(B)[K,N] + beta * C[M,N]`.
///
/// `op(A)` is `A` stored `[M,K]` (row stride `lda`, default K), or with `transposeA` `A` stored `[K,M]` (row
/// stride `lda`, default M). Likewise `op(B)` is `B` stored `[K,N]` (default `ldb` N) or with `transposeB` `[N,K]`
/// (default `ldb` K). `C` is stored `[M,N]` with row stride `ldc` (default N). `beta = 0` overwrites `C` (its old
/// contents are never read, NaN included); `beta = 1` accumulates.
///
/// With `parallel`, the product is split into row (or column) blocks of `C` run on `EngineThreads` workers, each
/// block a single-threaded sgemm. Results agree with the unsplit call to rounding (the library blocks edge tiles
/// differently) and are bitwise reproducible for a fixed worker count.
/// Use it for a large GEMM called outside another `parallelFor`; never nest it inside one.
func matmul(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
    m: Int, n: Int, k: Int,
    transposeA: Bool = false, transposeB: Bool = false,
    alpha: Float = 1, beta: Float = 0,
    lda: Int? = nil, ldb: Int? = nil, ldc: Int? = nil,
    parallel: Bool = false
) {
    precondition(m >= 0 && n >= 0 && k >= 0, "matmul: negative size m \(m) n \(n) k \(k)")
    EngineThreads.configure()
    let strideA = lda ?? (transposeA ? m : k)
    let strideB = ldb ?? (transposeB ? k : n)
    let strideC = ldc ?? n
    if m == 0 || n == 0 { return }
    if k == 0 {
        // sgemm with K = 0 scales C by beta; make beta = 0 an exact overwrite.
        for row in 0..<m {
            let rowPointer = c + row * strideC
            for column in 0..<n { rowPointer[column] = beta == 0 ? 0 : beta * rowPointer[column] }
        }
        return
    }
    let workers = EngineThreads.workerCount
    let work = Double(m) * Double(n) * Double(k)
    if parallel && workers > 1 && work >= 1_000_000 && max(m, n) >= 2 * workers {
        let splitRows = m >= n
        let total = splitRows ? m : n
        // Pointers are not Sendable; pass addresses as integers into the worker closure.
        let addressA = Int(bitPattern: a), addressB = Int(bitPattern: b), addressC = Int(bitPattern: c)
        EngineThreads.parallelChunks(total: total) { _, range in
            let pa = UnsafePointer<Float>(bitPattern: addressA)!
            let pb = UnsafePointer<Float>(bitPattern: addressB)!
            let pc = UnsafeMutablePointer<Float>(bitPattern: addressC)!
            if splitRows {
                let blockA = transposeA ? pa + range.lowerBound : pa + range.lowerBound * strideA
                singleThreadedSGEMM(blockA, pb, pc + range.lowerBound * strideC, m: range.count, n: n, k: k,
                      transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta,
                      lda: strideA, ldb: strideB, ldc: strideC)
            } else {
                let blockB = transposeB ? pb + range.lowerBound * strideB : pb + range.lowerBound
                singleThreadedSGEMM(pa, blockB, pc + range.lowerBound, m: m, n: range.count, k: k,
                      transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta,
                      lda: strideA, ldb: strideB, ldc: strideC)
            }
        }
        return
    }
    singleThreadedSGEMM(a, b, c, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, alpha: alpha,
                        beta: beta,
          lda: strideA, ldb: strideB, ldc: strideC)
}

/// `op(A) * op(B) * alpha` for rank-2 tensors, as a new `[M,N]` tensor. `a` is `[M,K]` (or `[K,M]` with
/// `transposeA`), `b` is `[K,N]` (or `[N,K]` with `transposeB`).
func matmul(
    _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false, alpha: Float = 1,
    parallel: Bool = false
) -> Tensor {
    let (m, n, _) = matmulSizes(a, b, transposeA: transposeA, transposeB: transposeB)
    var c = Tensor.zeros([m, n])
    matmul(a, b, into: &c, transposeA: transposeA, transposeB: transposeB, alpha: alpha, parallel: parallel)
    return c
}

/// `C = alpha * op(A) * op(B) + (accumulate ? C : 0)` for rank-2 tensors; `c` must already be `[M,N]`.
func matmul(
    _ a: Tensor, _ b: Tensor, into c: inout Tensor,
    transposeA: Bool = false, transposeB: Bool = false, alpha: Float = 1, accumulate: Bool = false,
    parallel: Bool = false
) {
    let (m, n, k) = matmulSizes(a, b, transposeA: transposeA, transposeB: transposeB)
    precondition(c.shape == [m, n], "matmul: output shape \(c.shape), expected \([m, n])")
    a.withUnsafePointer { pa in
        b.withUnsafePointer { pb in
            c.withUnsafeMutablePointer { pc in
                matmul(pa, pb, pc, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                       alpha: alpha, beta: accumulate ? 1 : 0, parallel: parallel)
            }
        }
    }
}

private func matmulSizes(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> (Int, Int, Int) {
    precondition(a.rank == 2 && b.rank == 2, "matmul: needs rank-2 tensors, got \(a.shape) and \(b.shape)")
    let m = transposeA ? a.shape[1] : a.shape[0]
    let k = transposeA ? a.shape[0] : a.shape[1]
    let kB = transposeB ? b.shape[1] : b.shape[0]
    let n = transposeB ? b.shape[0] : b.shape[1]
    precondition(k == kB, "matmul: inner sizes differ, op(A) is [\(m),\(k)], op(B) is [\(kB),\(n)]")
    return (m, n, k)
}
