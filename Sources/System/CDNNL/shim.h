// oneDNN (Debian libdnnl-dev 2.6, OpenMP runtime) for TensorEngine's GEMM: its sgemm dispatches at run time to
// the host's best JIT kernels (AVX-512, AVX2, SSE4.1) from CPUID feature bits, not from CPU model numbers.
#include <oneapi/dnnl/dnnl.h>

// libgomp; declared here because Swift's clang does not search GCC's private include folder for omp.h.
extern void omp_set_num_threads(int count);

/// Single-threaded row-major sgemm on the calling thread. TensorEngine supplies the parallelism (one level,
/// GCD workers), so the OpenMP team of this thread is pinned to one thread first (a per-thread setting in
/// libgomp, cheap to repeat). Returns the dnnl_status_t (0 on success).
static inline int fednc_dnnl_sgemm_single_thread(
    char transa, char transb, long m, long n, long k, float alpha, const float *a, long lda,
    const float *b, long ldb, float beta, float *c, long ldc) {
    omp_set_num_threads(1);
    return (int)dnnl_sgemm(transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
