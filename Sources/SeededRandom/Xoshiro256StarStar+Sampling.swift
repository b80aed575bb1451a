#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sampling rules of partition.md, "Random numbers", in exactly the order of draws written there.
/// `log`, `exp`, `cos` and `sqrt` come from the platform C library so results match an independent C or Python
/// implementation bit for bit on the same platform.
extension Xoshiro256StarStar {
    /// A double in [0, 1): `Double(next() >> 11) * 0x1p-53`.
    @inlinable
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// An integer in `0..<bound`: `Int(next() % UInt64(bound))` (the spec's modulo rule, slightly biased on
    /// purpose so that independent implementations agree). `bound` must be positive.
    @inlinable
    public mutating func uniformInt(_ bound: Int) -> Int {
        precondition(bound > 0, "uniformInt needs a positive bound, got \(bound)")
        return Int(next() % UInt64(bound))
    }

    /// Fisher-Yates from the back: for `i` from `count-1` down to 1, `j = uniformInt(i+1)`, swap.
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        var index = elements.count - 1
        while index >= 1 {
            let other = uniformInt(index + 1)
            elements.swapAt(index, other)
            index -= 1
        }
    }

    /// A uniform in (0, 1): `uniform()` redrawn while it is exactly 0.
    @inlinable
    public mutating func positiveUniform() -> Double {
        var value = uniform()
        while value == 0 { value = uniform() }
        return value
    }

    /// Standard normal by Box-Muller (one value per two draws):
    /// `sqrt(-2 log u1) * cos(2 pi u2)` with `u1` redrawn while 0.
    public mutating func normal() -> Double {
        let u1 = positiveUniform()
        let u2 = uniform()
        return sqrt(-2 * log(u1)) * cos(2 * Double.pi * u2)
    }

    /// Gamma(shape, 1) for `shape >= 1` by Marsaglia-Tsang (2000), exactly as partition.md writes it.
    public mutating func gamma(shape: Double) -> Double {
        precondition(shape >= 1, "gamma(shape:) is defined here for shape >= 1; use shape + 1 and a power of a uniform")
        let d = shape - 1.0 / 3.0
        let c = 1 / sqrt(9 * d)
        while true {
            var x = normal()
            var v = 1 + c * x
            if v <= 0 { continue }
            v = (v * v) * v
            let u = uniform()
            let x2 = x * x
            if u < 1 - 0.0331 * (x2 * x2) { return d * v }
            if log(u) < 0.5 * x2 + d * ((1 - v) + log(v)) { return d * v }
            x = 0
        }
    }

    /// `count` proportions from a symmetric Dirichlet(`alpha`); they sum to 1 up to rounding.
    ///
    /// - `alpha >= 1`: `g_i = gamma(alpha)`, `p_i = g_i / sum(g)` (sum left to right).
    /// - `alpha < 1`: log domain, so tiny alphas never underflow to all zeros:
    ///   `l_i = log(gamma(alpha + 1)) + log(u_i) / alpha` (u redrawn while 0), `p_i = softmax(l)_i`.
    /// - `alpha = +inf`: `p_i = 1/count`, no draws.
    public mutating func dirichlet(alpha: Double, count: Int) -> [Double] {
        precondition(alpha > 0, "Dirichlet concentration must be positive, got \(alpha)")
        precondition(count > 0, "Dirichlet needs at least one component")
        if alpha.isInfinite {
            return [Double](repeating: 1 / Double(count), count: count)
        }
        if alpha >= 1 {
            var draws = [Double]()
            draws.reserveCapacity(count)
            for _ in 0..<count { draws.append(gamma(shape: alpha)) }
            var total = 0.0
            for value in draws { total += value }
            return draws.map { $0 / total }
        }
        var logs = [Double]()
        logs.reserveCapacity(count)
        for _ in 0..<count {
            let g = gamma(shape: alpha + 1)
            let u = positiveUniform()
            logs.append(log(g) + log(u) / alpha)
        }
        var largest = -Double.infinity
        for value in logs where value > largest { largest = value }
        let weights = logs.map { exp($0 - largest) }
        var total = 0.0
        for value in weights { total += value }
        return weights.map { $0 / total }
    }
}
