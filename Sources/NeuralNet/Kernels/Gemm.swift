import COpenBLAS

/// Row-major single-precision matrix products over OpenBLAS, the one BLAS entry point of NeuralNet.
/// (Local to NeuralNet until TensorEngine's matmul lands; see docs/model.md.)
enum Gemm {
    /// `C = alpha * op(A) * op(B) + beta * C`, all row-major; `op(A)` is m x k, `op(B)` is k x n, C is m x n.
    /// Leading dimensions default to the tight row lengths.
    static func multiply(
        _ a: UnsafePointer<Float>, transposeA: Bool = false,
        _ b: UnsafePointer<Float>, transposeB: Bool = false,
        into c: UnsafeMutablePointer<Float>, m: Int, n: Int, k: Int,
        alpha: Float = 1, beta: Float = 0, lda: Int? = nil, ldb: Int? = nil, ldc: Int? = nil
    ) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            if beta == 0 { for row in 0..<m { for column in 0..<n { c[row * (ldc ?? n) + column] = 0 } } }
            return
        }
        let leadingA = lda ?? (transposeA ? m : k)
        let leadingB = ldb ?? (transposeB ? k : n)
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(leadingA), b, Int32(leadingB), beta, c,
                    Int32(ldc ?? n))
    }

    /// Makes OpenBLAS single-threaded; NeuralNet parallelises over images itself (one level of parallelism).
    static let singleThreaded: Bool = {
        openblas_set_num_threads(1)
        return true
    }()
}
