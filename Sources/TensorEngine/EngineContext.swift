import CEngineKernels
import Foundation

/// The context every benchmark prints beside its figures: CPU model and instruction set, GEMM library and kernel
/// path actually in use, convolution path, worker threads and the load average at the time of the call.
public enum EngineContext {
    /// One `key: value` line per item, e.g. `gemm: oneDNN 2.6.3 sgemm, avx512_core JIT kernels ...`.
    public static func lines() -> [String] {
        EngineThreads.configure()
        let cpu = HostCPU.current
        return [
            "cpu: \(cpu.modelName), \(ProcessInfo.processInfo.activeProcessorCount) processors",
            "isa: \(cpu.vectorExtensions)",
            "gemm: \(GEMMLibrary.current.kernelDescription)",
            "conv: \(Conv2DPlan.pathDescription); Winograd transforms in C, "
                + "\(String(cString: fednc_engine_kernels_isa())) clone (picked at run time)",
            "threads: \(EngineThreads.workerCount) workers (FEDNC_THREADS), single-threaded GEMM per worker",
            "load average: \(loadAverage())",
        ]
    }

    /// The 1, 5 and 15-minute load averages from `/proc/loadavg`, or `unknown`.
    public static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}
