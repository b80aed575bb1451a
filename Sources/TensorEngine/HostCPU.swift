import Foundation

/// What the engine knows about the processor it runs on, read once from `/proc/cpuinfo` (Linux; elsewhere the
/// fields say `unknown`). Used to describe the machine in benchmark output, never to pick a kernel: the
/// libraries dispatch themselves.
public struct HostCPU: Sendable {
    /// The first `model name` line, e.g. `Intel(R) Xeon(R) Processor`.
    public let modelName: String
    /// The CPU feature flags of the first processor (`flags` line).
    public let flags: Set<String>

    /// This machine, read once.
    public static let current: HostCPU = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
            return HostCPU(modelName: "unknown", flags: [])
        }
        var model = "unknown"
        var flags: Set<String> = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            if key == "model name" && model == "unknown" { model = value }
            if key == "flags" && flags.isEmpty { flags = Set(value.split(separator: " ").map(String.init)) }
            if model != "unknown" && !flags.isEmpty { break }
        }
        return HostCPU(modelName: model, flags: flags)
    }()

    /// Vector instruction sets present, widest first: e.g. `avx512f avx512bw avx512vl avx512_vnni avx512_bf16
    /// avx512_fp16 amx_tile avx2 fma`.
    public var vectorExtensions: String {
        let known = ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni", "avx512_bf16", "avx512_fp16",
                     "amx_tile", "avx2", "fma", "sse4_1"]
        let present = known.filter(flags.contains)
        return present.isEmpty ? "unknown" : present.joined(separator: " ")
    }
}
