import Testing
import TensorEngine

@Suite("Engine context")
struct EngineContextTests {
    @Test("context names the CPU, ISA, GEMM library and kernel path, convolution path, threads and load average")
    func lines() {
        let lines = EngineContext.lines()
        for key in ["cpu: ", "isa: ", "gemm: ", "conv: ", "threads: ", "load average: "] {
            #expect(lines.contains { $0.hasPrefix(key) }, "no \(key) line in \(lines)")
        }
        let gemm = lines.first { $0.hasPrefix("gemm: ") } ?? ""
        switch GEMMLibrary.current {
        case .oneDNN: #expect(gemm.contains("oneDNN") && gemm.contains("sgemm"), "\(gemm)")
        case .openBLAS: #expect(gemm.contains("OpenBLAS") && gemm.contains("kernels"), "\(gemm)")
        }
        let conv = lines.first { $0.hasPrefix("conv: ") } ?? ""
        #expect(["avx512f clone", "avx2 clone", "x86-64 clone", "portable clone"].contains { conv.contains($0) },
                "\(conv)")
    }

    @Test("both GEMM libraries describe their kernel path")
    func kernelDescriptions() {
        #expect(GEMMLibrary.oneDNN.kernelDescription.hasPrefix("oneDNN "))
        #expect(GEMMLibrary.openBLAS.kernelDescription.contains("OPENBLAS_CORETYPE"))
    }

    @Test("oneDNN effective-ISA values map to their names and sgemm kernel families")
    func oneDNNISA() {
        #expect(GEMMLibrary.oneDNNISAName(0x3e7) == "avx512_core_amx")
        #expect(GEMMLibrary.oneDNNGEMMPath(0x3e7) == "avx512_core")
        #expect(GEMMLibrary.oneDNNGEMMPath(0x27) == "avx512_core")
        #expect(GEMMLibrary.oneDNNGEMMPath(0x407) == "avx2")
        #expect(GEMMLibrary.oneDNNGEMMPath(0x7) == "avx2")
        #expect(GEMMLibrary.oneDNNGEMMPath(0x1) == "sse41")
    }

    @Test("the CPU backend is the one available backend")
    func backends() {
        #expect(EngineBackends.available.map(\.name) == ["cpu"])
        #expect(CPUBackend().name == "cpu")
    }
}
