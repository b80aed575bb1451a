import Foundation
@_spi(CPUKernels) @_spi(HostStorage) import TensorEngine

// bench-conv: times TensorEngine's conv2d forward + backward on ResNet-18's layer shapes and prints one JSON
// object per layer (milliseconds per call, median of the repeats), after the engine context as "# " lines. tools/bench/conv runs it beside PyTorch.
// Usage: bench-conv [--stem imagenet|cifar] [--input 64] [--batch 32] [--repeats 5] [--group auto|N]
//                   [--band auto|N] [--transposed-input-gradient auto|yes|no]
//                   [--layer NAME] [--whole-batch auto|yes|no] [--winograd auto|yes|no]
//                   [--dense-map auto|yes|no]
//   (images per GEMM; output rows per band of a per-image GEMM; stride-1 input gradient as a convolution;
//    only the layer called NAME)

struct Options {
    var stem = "imagenet"
    var input = 64
    var batch = 32
    var repeats = 5
    var group: Int?
    var band: Int?
    var transposed: Bool?
    var layer: String?
    var wholeBatch: Bool?
    var winograd: Bool?
    var denseMap: Bool?
}

func parseOptions() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let flag = arguments.next() {
        guard let value = arguments.next() else { fail("missing value after \(flag)") }
        switch flag {
        case "--stem": options.stem = value
        case "--input": options.input = Int(value) ?? 0
        case "--batch": options.batch = Int(value) ?? 0
        case "--repeats": options.repeats = Int(value) ?? 0
        case "--group": options.group = value == "auto" ? nil : Int(value)
        case "--band": options.band = value == "auto" ? nil : Int(value)
        case "--layer": options.layer = value
        case "--whole-batch": options.wholeBatch = value == "auto" ? nil : value == "yes"
        case "--winograd": options.winograd = value == "auto" ? nil : value == "yes"
        case "--dense-map": options.denseMap = value == "auto" ? nil : value == "yes"
        case "--transposed-input-gradient": options.transposed = value == "auto" ? nil : value == "yes"
        default: fail("unknown option \(flag)")
        }
    }
    guard ["imagenet", "cifar"].contains(options.stem), options.input > 0, options.batch > 0, options.repeats > 0
    else { fail("bad options: stem must be imagenet or cifar, sizes positive") }
    return options
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("bench-conv: \(message)\n".utf8))
    exit(2)
}

/// Uniform values in [-1, 1) from a fixed LCG (reproducible inputs; values do not affect timing).
func filled(_ shape: [Int], seed: UInt64) -> Tensor {
    var tensor = Tensor.zeros(shape)
    var state = seed
    for index in 0..<tensor.count {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        tensor.storage[index] = Float(state >> 40) / Float(1 << 23) - 1
    }
    return tensor
}

/// Wall-clock and process CPU milliseconds of `body` (CPU time is less disturbed by other load on the machine).
func milliseconds(_ body: () -> Void) -> (wall: Double, cpu: Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let cpuStart = processCPUNanoseconds()
    body()
    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6,
            Double(processCPUNanoseconds() - cpuStart) / 1e6)
}

func processCPUNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

let options = parseOptions()
/// The kernels are reached through the CPU backend (its layout-forcing extension), as NeuralNet reaches them.
let cpuBackend = CPUBackend()
EngineThreads.configure()
for line in EngineContext.lines() { print("# \(line)") }
for layer in ConvLayerShape.resnet18(stem: options.stem, input: options.input)
where options.layer == nil || options.layer == layer.name {
    let input = filled([options.batch, layer.inChannels, layer.size, layer.size], seed: 1)
    let weight = filled([layer.outChannels, layer.inChannels, layer.kernel, layer.kernel], seed: 2)
    let gradient = filled([options.batch, layer.outChannels, layer.outputSize, layer.outputSize], seed: 3)
    var forwardTimes = [Double](), backwardTimes = [Double](), cpuTimes = [Double]()
    var checksum: Float = 0
    for repeatIndex in 0...options.repeats {
        var output = Tensor.zeros([0])
        let forward = milliseconds {
            output = cpuBackend.conv2dForward(input: input, weight: weight, bias: nil, stride: layer.stride,
                                              padding: layer.padding, groupSize: options.group,
                                              bandRows: options.band, wholeBatch: options.wholeBatch,
                                              winograd: options.winograd, denseMap: options.denseMap)
        }
        var gradients: Conv2DGradients?
        let backward = milliseconds {
            gradients = cpuBackend.conv2dBackward(outputGradient: gradient, input: input, weight: weight,
                                                  stride: layer.stride, padding: layer.padding, hasBias: false,
                                                  computeInputGradient: layer.needsInputGradient,
                                                  groupSize: options.group, bandRows: options.band,
                                                  transposedInputGradient: options.transposed,
                                                  wholeBatch: options.wholeBatch, winograd: options.winograd,
                                                  denseMap: options.denseMap)
        }
        checksum += output.storage[0] + (gradients?.weight.storage[0] ?? 0)
        if repeatIndex > 0 { // the first call warms caches and the allocator
            forwardTimes.append(forward.wall)
            backwardTimes.append(backward.wall)
            cpuTimes.append(forward.cpu + backward.cpu)
        }
    }
    let forward = median(forwardTimes), backward = median(backwardTimes)
    let gflops = layer.flops(batch: options.batch) / ((forward + backward) / 1000) / 1e9
    let cpu = median(cpuTimes)
    print("""
        {"name": "\(layer.name)", "in": \(layer.inChannels), "out": \(layer.outChannels), "kernel": \(layer.kernel), \
        "stride": \(layer.stride), "padding": \(layer.padding), "size": \(layer.size), \
        "multiplicity": \(layer.multiplicity), "input_grad": \(layer.needsInputGradient), \
        "forward_ms": \(forward), "backward_ms": \(backward), "cpu_ms": \(cpu), "gflops": \(gflops), "checksum": \(checksum)}
        """)
}
