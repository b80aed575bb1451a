/// The weights of one axis of Pillow's BILINEAR resize, precomputed once per (input size, output size).
///
/// Definition (Pillow's `Resample.c`): `scale = inputSize / outputSize`, `filterScale = max(scale, 1)`,
/// `support = 1 * filterScale` (the triangle's half-width, widened when reducing, which is the antialiasing).
/// Output sample `i` is centred at `center = (i + 0.5) * scale` in input coordinates and reads inputs
/// `first = trunc(center - support + 0.5)` (clamped to >= 0) up to `trunc(center + support + 0.5)` (clamped to
/// `inputSize`), exclusive. Input `j` weighs `triangle((j - center + 0.5) / filterScale)` with
/// `triangle(t) = max(0, 1 - |t|)`; the weights are divided by their sum, then rounded to fixed point with
/// `precisionBits` fractional bits (half away from zero).
package struct ResampleCoefficients: Sendable, Equatable {
    /// Fractional bits of the fixed-point weights (Pillow: 32 - 8 - 2).
    package static let precisionBits = 22

    package let inputSize: Int
    package let outputSize: Int
    /// Slots per output sample (`2 * ceil(support) + 1`); unused slots hold 0.
    package let taps: Int
    /// First input index read by each output sample.
    package let firsts: [Int]
    /// Number of inputs read by each output sample (<= `taps`).
    package let counts: [Int]
    /// Normalised weights, `outputSize * taps`, before rounding.
    package let weights: [Double]
    /// `weights` in fixed point (`round(weight * 2^precisionBits)`), `outputSize * taps`.
    package let fixedWeights: [Int32]

    /// Coefficients resampling `inputSize` samples to `outputSize` (both >= 1).
    package init(inputSize: Int, outputSize: Int) {
        precondition(inputSize > 0 && outputSize > 0, "ResampleCoefficients: sizes must be positive")
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = filterScale  // the triangle's support is 1 before scaling
        // Multiplying by the reciprocal (not dividing) reproduces Pillow's floating-point weights bit for bit.
        let inverseFilterScale = 1 / filterScale
        let taps = Int(support.rounded(.up)) * 2 + 1
        var firsts = [Int](repeating: 0, count: outputSize)
        var counts = [Int](repeating: 0, count: outputSize)
        var weights = [Double](repeating: 0, count: outputSize * taps)
        for output in 0..<outputSize {
            let center = (Double(output) + 0.5) * scale
            let first = max(Int(center - support + 0.5), 0)
            let end = min(Int(center + support + 0.5), inputSize)
            let count = end - first
            var sum = 0.0
            for tap in 0..<count {
                let distance = abs((Double(first + tap) - center + 0.5) * inverseFilterScale)
                let weight = distance < 1 ? 1 - distance : 0
                weights[output * taps + tap] = weight
                sum += weight
            }
            if sum != 0 {
                for tap in 0..<count { weights[output * taps + tap] /= sum }
            }
            firsts[output] = first
            counts[output] = count
        }
        let one = Double(1 << ResampleCoefficients.precisionBits)
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.taps = taps
        self.firsts = firsts
        self.counts = counts
        self.weights = weights
        // `Int32(_: Double)` truncates toward zero (one instruction; `rounded(.towardZero)` was a libm call).
        self.fixedWeights = weights.map { weight in Int32(weight < 0 ? weight * one - 0.5 : weight * one + 0.5) }
    }
}
