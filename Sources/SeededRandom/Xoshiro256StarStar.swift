/// xoshiro256** (Blackman and Vigna 2018): the project's only source of randomness for anything that must be
/// reproducible byte for byte (partitioning, composites, sample data, trainer sampling).
///
/// State: four 64-bit words, seeded with the first four SplitMix64 outputs of the seed.
/// `next()`: `r = rotl(s1 &* 5, 7) &* 9; t = s1 << 17; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
/// s3 = rotl(s3, 45)`; returns `r`.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    @usableFromInline internal var s0: UInt64
    @usableFromInline internal var s1: UInt64
    @usableFromInline internal var s2: UInt64
    @usableFromInline internal var s3: UInt64

    /// Seeds the four state words with the first four outputs of `SplitMix64(seed:)`.
    public init(seed: UInt64) {
        var expander = SplitMix64(seed: seed)
        s0 = expander.next()
        s1 = expander.next()
        s2 = expander.next()
        s3 = expander.next()
    }

    /// A named, independent stream: SplitMix64 seeded with `seed ^ fnv1a64(utf8(name))`.
    ///
    /// Every purpose in the specs names its own stream (`"class-sets"`, `"dirichlet/0"`, `"route/3/0"`,
    /// `"composite/train"`, ...), so adding draws to one purpose never shifts another's.
    public init(seed: UInt64, stream name: String) {
        self.init(seed: seed ^ FNV1a64.hash(name))
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, by: 7) &* 9
        let shifted = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= shifted
        s3 = rotateLeft(s3, by: 45)
        return result
    }

    @usableFromInline
    internal func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}
