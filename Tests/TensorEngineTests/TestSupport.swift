@_spi(HostStorage) import TensorEngine

/// The CPU kernels are internal to TensorEngine: its tests reach them through the CPU backend (the concrete type
/// keeps their default arguments), as NeuralNet does through `any EngineBackend`.
let cpu = CPUBackend()

/// Deterministic pseudo-random values for tests (SplitMix64), uniform in [-1, 1) times `scale`.
struct TestValues {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> Float {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) / Float(1 << 24) * 2 - 1
    }

    mutating func tensor(_ shape: [Int], scale: Float = 1) -> Tensor {
        var tensor = Tensor.zeros(shape)
        for index in 0..<tensor.count { tensor.storage[index] = next() * scale }
        return tensor
    }
}

/// Largest absolute elementwise difference.
func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    var worst: Float = 0
    for (x, y) in zip(a, b) { worst = max(worst, abs(x - y)) }
    return worst
}

/// Largest absolute value.
func maxAbs(_ a: [Float]) -> Float { a.reduce(0) { max($0, abs($1)) } }
