// bench-engine: images per second of full FedNC training steps (forward, backward, AdamW) on the NeuralNet
// model, for tools/bench/engine (which runs PyTorch on the same configurations and prints the ratios).
//
// Usage: bench-engine --head mlp|ladm-etf|sphere --stem imagenet|cifar --size S [--batch 32] [--classes 20]
//                     [--width 1.0] [--steps 3] [--warmup 1]
//        bench-engine --context   (prints only the engine context; tools/bench/federated uses it)
// Prints the engine context (CPU, ISA, GEMM library and kernel path, convolution path, threads, load average) as
// "# " lines, then one JSON object: configuration, seconds per step, images per second, peak resident memory (MB).
import Foundation
import NeuralNet
import TensorEngine

struct BenchmarkOptions {
    var head = HeadKind.mlp
    var stem = StemKind.imagenet
    var size = 64
    var batch = 32
    var classes = 20
    var width = 1.0
    var steps = 3
    var warmup = 1

    static func parse(_ arguments: [String]) -> BenchmarkOptions? {
        var options = BenchmarkOptions()
        var index = 0
        while index + 1 < arguments.count {
            let (flag, value) = (arguments[index], arguments[index + 1])
            switch flag {
            case "--head": guard let head = HeadKind(rawValue: value) else { return nil }; options.head = head
            case "--stem": guard let stem = StemKind(rawValue: value) else { return nil }; options.stem = stem
            case "--size": guard let size = Int(value) else { return nil }; options.size = size
            case "--batch": guard let batch = Int(value) else { return nil }; options.batch = batch
            case "--classes": guard let classes = Int(value) else { return nil }; options.classes = classes
            case "--width": guard let width = Double(value) else { return nil }; options.width = width
            case "--steps": guard let steps = Int(value) else { return nil }; options.steps = steps
            case "--warmup": guard let warmup = Int(value) else { return nil }; options.warmup = warmup
            default: return nil
            }
            index += 2
        }
        return index == arguments.count ? options : nil
    }
}

/// Peak resident set size of this process in MB (VmHWM from /proc/self/status), or -1 when unavailable.
func peakMemoryMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        if fields.count >= 2, let kilobytes = Double(fields[1]) { return kilobytes / 1024 }
    }
    return -1
}

if CommandLine.arguments.dropFirst() == ["--context"] {
    for line in EngineContext.lines() { print("# \(line)") }
    exit(0)
}
guard let options = BenchmarkOptions.parse(Array(CommandLine.arguments.dropFirst())) else {
    FileHandle.standardError.write(Data("""
        usage: bench-engine --head mlp|ladm-etf|sphere --stem imagenet|cifar --size S [--batch 32] [--classes 20] \
        [--width 1.0] [--steps 3] [--warmup 1]

        """.utf8))
    exit(2)
}
for line in EngineContext.lines() { print("# \(line)") }
let model = MultiLabelClassifier(
    configuration: ModelConfiguration(classCount: options.classes, head: options.head, stem: options.stem,
                                      widthMultiplier: options.width, inputSize: options.size),
    seed: 1)
var generator = SystemRandomNumberGenerator()
let pixelCount = options.batch * options.size * options.size * 3
let images = ImageBatch(count: options.batch, height: options.size, width: options.size, channels: 3,
                        pixels: (0..<pixelCount).map { _ in UInt8.random(in: 0...255, using: &generator) })
let labels = (0..<(options.batch * options.classes)).map { _ in Float(Int.random(in: 0..<4, using: &generator) == 0 ? 1 : 0) }
let loss = options.head == .mlp ? LossConfiguration.binaryCrossEntropyOnly : LossConfiguration()
var optimizer = AdamW()
var lastLoss: Float = 0
var seconds = 0.0
var cpuSeconds = 0.0
/// User + system CPU seconds of this process so far.
func processCPUSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}
for step in 0..<(options.warmup + options.steps) {
    let start = DispatchTime.now().uptimeNanoseconds
    let cpuStart = processCPUSeconds()
    let (value, gradients) = model.lossAndGradients(images: images, labels: labels, loss: loss)
    optimizer.step(&model.state, gradients: gradients)
    lastLoss = value
    if step >= options.warmup {
        seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        cpuSeconds += processCPUSeconds() - cpuStart
    }
}
let perStep = seconds / Double(max(1, options.steps))
let cpuPerStep = cpuSeconds / Double(max(1, options.steps))
print("""
    {"implementation": "fednc", "head": "\(options.head.rawValue)", "stem": "\(options.stem.rawValue)", \
    "size": \(options.size), "batch": \(options.batch), "seconds_per_step": \(perStep), \
    "images_per_second": \(Double(options.batch) / perStep), "cpu_seconds_per_step": \(cpuPerStep), "peak_mb": \(peakMemoryMegabytes()), \
    "loss": \(lastLoss)}
    """)
