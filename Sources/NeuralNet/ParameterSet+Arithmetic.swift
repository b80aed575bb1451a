/// Vector arithmetic over the flat values, as federated algorithms need it (FedAvg's weighted mean, SCAFFOLD's
/// control variates, FedProx's proximal term, FedCurv's Fisher penalty). Both operands must share a layout.
extension ParameterSet {
    /// `self += scale * other` (BLAS `axpy`), over every entry including buffers.
    public mutating func add(_ other: ParameterSet, scaledBy scale: Float = 1) {
        precondition(hasSameLayout(as: other), "parameter layouts differ")
        other.values.withUnsafeBufferPointer { source in
            values.withUnsafeMutableBufferPointer { target in
                for index in 0..<target.count { target[index] += scale * source[index] }
            }
        }
    }

    /// `self *= scale`.
    public mutating func scale(by scale: Float) {
        values.withUnsafeMutableBufferPointer { target in
            for index in 0..<target.count { target[index] *= scale }
        }
    }

    /// Element-wise sum.
    public static func + (lhs: ParameterSet, rhs: ParameterSet) -> ParameterSet {
        var result = lhs
        result.add(rhs)
        return result
    }

    /// Element-wise difference.
    public static func - (lhs: ParameterSet, rhs: ParameterSet) -> ParameterSet {
        var result = lhs
        result.add(rhs, scaledBy: -1)
        return result
    }

    /// Every element times `scale`.
    public static func * (scale: Float, set: ParameterSet) -> ParameterSet {
        var result = set
        result.scale(by: scale)
        return result
    }

    /// Sum of element-wise products, accumulated in Double left to right; `onlyTrainable` skips buffers.
    public func dot(_ other: ParameterSet, onlyTrainable: Bool = false) -> Double {
        precondition(hasSameLayout(as: other), "parameter layouts differ")
        var total = 0.0
        values.withUnsafeBufferPointer { lhs in
            other.values.withUnsafeBufferPointer { rhs in
                for entry in entries where !onlyTrainable || entry.isTrainable {
                    for index in entry.range { total += Double(lhs[index]) * Double(rhs[index]) }
                }
            }
        }
        return total
    }

    /// Squared Euclidean norm (Double accumulation).
    public func squaredNorm(onlyTrainable: Bool = false) -> Double {
        dot(self, onlyTrainable: onlyTrainable)
    }

    /// The weighted mean `sum_i w_i x_i / sum_i w_i` of sets sharing one layout (FedAvg); weights must be
    /// non-negative with a positive sum. Accumulates in Double per element, in input order.
    public static func weightedMean(_ sets: [ParameterSet], weights: [Double]) -> ParameterSet {
        precondition(!sets.isEmpty && sets.count == weights.count, "weightedMean needs one weight per set")
        let total = weights.reduce(0, +)
        precondition(total > 0 && weights.allSatisfy { $0 >= 0 }, "weights must be non-negative with a positive sum")
        var accumulator = [Double](repeating: 0, count: sets[0].count)
        for (set, weight) in zip(sets, weights) {
            precondition(set.hasSameLayout(as: sets[0]), "parameter layouts differ")
            let factor = weight / total
            set.values.withUnsafeBufferPointer { source in
                accumulator.withUnsafeMutableBufferPointer { target in
                    for index in 0..<target.count { target[index] += factor * Double(source[index]) }
                }
            }
        }
        var result = sets[0]
        result.values = accumulator.map { Float($0) }
        return result
    }
}
