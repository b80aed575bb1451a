import CDNNL
import COpenBLAS
import Foundation

/// The library behind every `matmul` (and so every convolution and linear layer): chosen once per process.
///
/// Default `oneDNN`: its sgemm picks AVX-512, AVX2 or SSE4.1 JIT kernels from the CPU's feature bits at run
/// time. Debian's OpenBLAS 0.3.21 picks its kernels from the CPU model number instead: on CPUs it does not know
/// (e.g. a virtualised "Intel(R) Xeon(R) Processor" with AVX-512) it falls back to its SSE3 "Prescott" kernels, and
/// environments that set `OPENBLAS_CORETYPE=Haswell` get AVX2 kernels only (docs/engine.md, "GEMM library").
/// The environment variable `FEDNC_GEMM=openblas` selects OpenBLAS (for comparison); `onednn` is the default.
public enum GEMMLibrary: String, Sendable, CaseIterable {
    case oneDNN = "onednn"
    case openBLAS = "openblas"

    /// The library this process uses: `FEDNC_GEMM` if it names one (`onednn`, `openblas`), else oneDNN.
    /// An unknown value stops the program with a message naming the variable and the accepted values.
    public static let current: GEMMLibrary = {
        guard let text = ProcessInfo.processInfo.environment["FEDNC_GEMM"], !text.isEmpty else { return .oneDNN }
        guard let library = GEMMLibrary(rawValue: text.lowercased()) else {
            fatalError("FEDNC_GEMM=\(text) is not a GEMM library; use onednn (default) or openblas, or unset it")
        }
        return library
    }()

    /// Library, version and the kernel path it runs on this host, e.g. `oneDNN 2.6.3 sgemm, avx512_core JIT
    /// kernels` or `OpenBLAS 0.3.21 sgemm, Haswell kernels (OPENBLAS_CORETYPE=Haswell)`.
    public var kernelDescription: String {
        switch self {
        case .oneDNN:
            let version = dnnl_version().pointee
            let isa = UInt32(dnnl_get_effective_cpu_isa().rawValue)
            return "oneDNN \(version.major).\(version.minor).\(version.patch) sgemm, "
                + "\(Self.oneDNNGEMMPath(isa)) JIT kernels (effective ISA \(Self.oneDNNISAName(isa)), "
                + "chosen from CPUID at run time; ONEDNN_MAX_CPU_ISA caps it)"
        case .openBLAS:
            let core = openblas_get_corename().map { String(cString: $0) } ?? "unknown"
            let config = openblas_get_config().map { String(cString: $0) } ?? ""
            let forced = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].map { " (OPENBLAS_CORETYPE=\($0))" }
                ?? " (OPENBLAS_CORETYPE unset)"
            return "OpenBLAS sgemm, \(core) kernels\(forced); \(config.trimmingCharacters(in: .whitespaces))"
        }
    }
}

extension GEMMLibrary {
    /// oneDNN 2.6's name of an effective-ISA value (`dnnl_cpu_isa_t`), e.g. `avx512_core_amx`.
    package static func oneDNNISAName(_ isa: UInt32) -> String {
        let names: [UInt32: String] = [0x1: "sse41", 0x3: "avx", 0x7: "avx2", 0x407: "avx2_vnni",
                                       0xf: "avx512_mic", 0x1f: "avx512_mic_4ops", 0x27: "avx512_core",
                                       0x67: "avx512_core_vnni", 0xe7: "avx512_core_bf16",
                                       0x3e7: "avx512_core_amx"]
        return names[isa] ?? String(format: "0x%x", isa)
    }

    /// The sgemm kernel family oneDNN 2.6 runs for an effective ISA: float32 GEMM has avx512_core, avx2, avx
    /// and sse41 kernels (ISA values are supersets by bits).
    package static func oneDNNGEMMPath(_ isa: UInt32) -> String {
        if isa & 0x27 == 0x27 { return "avx512_core" }
        if isa & 0x7 == 0x7 { return "avx2" }
        if isa & 0x3 == 0x3 { return "avx" }
        return "sse41"
    }
}

/// Single-threaded row-major sgemm on the calling thread through `library` (default `GEMMLibrary.current`),
/// strides explicit, `k > 0`. `beta = 0` overwrites `C` (garbage and NaN in `C` never leak) in both libraries.
@inline(__always)
@_spi(CPUKernels) public func singleThreadedSGEMM(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
    m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float,
    lda: Int, ldb: Int, ldc: Int, library: GEMMLibrary = .current
) {
    switch library {
    case .oneDNN:
        let status = fednc_dnnl_sgemm_single_thread(
            CChar(UInt8(ascii: transposeA ? "T" : "N")), CChar(UInt8(ascii: transposeB ? "T" : "N")),
            m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        precondition(status == 0, "oneDNN sgemm failed (status \(status)) for m \(m) n \(n) k \(k)")
    case .openBLAS:
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
