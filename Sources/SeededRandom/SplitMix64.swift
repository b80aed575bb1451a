/// SplitMix64 (Steele, Lea, Flood 2014), used only to expand a 64-bit seed into xoshiro256** state.
///
/// `state &+= 0x9E3779B97F4A7C15`, then two xor-shift-multiply rounds and a final xor-shift
/// (partition.md, "Random numbers").
public struct SplitMix64: Sendable {
    /// The running 64-bit state; advanced by `0x9E3779B97F4A7C15` per output.
    public private(set) var state: UInt64

    /// Starts the sequence at `seed` (the first output already includes one increment).
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64-bit output.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
