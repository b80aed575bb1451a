/// The scalars of one AdamW step (`torch.optim.AdamW`, single-tensor path): for each element
///
///     p *= decay                                   (1 - lr * wd for entries that decay, else 1: exact)
///     m += (g - m) * (1 - beta1)
///     v  = beta2 * v + (1 - beta2) * g * g
///     p -= stepSize * m / (sqrt(v) / biasCorrection2Root + epsilon)
///
/// with `stepSize = lr / (1 - beta1^t)` and `biasCorrection2Root = sqrt(1 - beta2^t)`.
public struct AdamWStep: Sendable, Equatable {
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let stepSize: Float
    public let biasCorrection2Root: Float

    public init(beta1: Float, beta2: Float, epsilon: Float, stepSize: Float, biasCorrection2Root: Float) {
        (self.beta1, self.beta2, self.epsilon) = (beta1, beta2, epsilon)
        (self.stepSize, self.biasCorrection2Root) = (stepSize, biasCorrection2Root)
    }
}

/// A run of elements one AdamW update covers: gradient and moment elements `elements`, updating the parameter
/// elements `elements` shifted by `parameterShift` (0 for an ordinary entry; `owner.offset - alias.offset` for the
/// second update of a tied entry, which acts on its owner's values), each first multiplied by `decay`.
public struct AdamWSegment: Sendable, Equatable {
    public let elements: Range<Int>
    public let parameterShift: Int
    public let decay: Float

    public init(elements: Range<Int>, parameterShift: Int = 0, decay: Float) {
        (self.elements, self.parameterShift, self.decay) = (elements, parameterShift, decay)
    }
}

/// Applies one AdamW update to every segment (flat tensors of equal count; segments must not share a parameter
/// element). Elementwise, split into contiguous element ranges over the engine's workers, so the split cannot
/// change any result.
func adamWUpdate(parameters: inout Tensor, gradients: Tensor, firstMoments: inout Tensor,
                 secondMoments: inout Tensor, segments: [AdamWSegment], step: AdamWStep) {
    let count = gradients.count
    precondition(firstMoments.count == count && secondMoments.count == count,
                 "adamWUpdate: moments of \(firstMoments.count) and \(secondMoments.count) elements for \(count)")
    for segment in segments {
        precondition(segment.elements.lowerBound >= 0 && segment.elements.upperBound <= count
                     && segment.elements.lowerBound + segment.parameterShift >= 0
                     && segment.elements.upperBound + segment.parameterShift <= parameters.count,
                     "adamWUpdate: segment \(segment) outside \(count) elements")
    }
    gradients.withUnsafePointer { g in
        parameters.withUnsafeMutablePointer { p in
            firstMoments.withUnsafeMutablePointer { m in
                secondMoments.withUnsafeMutablePointer { v in
                    EngineThreads.parallelElementwise(total: count) { chunk in
                        for segment in segments where segment.elements.overlaps(chunk) {
                            adamWUpdateLanes(segment.elements.clamped(to: chunk), p: p + segment.parameterShift,
                                             g: g, m: m, v: v, decay: segment.decay, step)
                        }
                    }
                }
            }
        }
    }
}

/// Copies elements `source ..< source + count` of `tensor` to `destination ..< destination + count` (the ranges
/// must not overlap).
func copyElements(_ tensor: inout Tensor, from source: Int, to destination: Int, count: Int) {
    precondition(source >= 0 && destination >= 0 && max(source, destination) + count <= tensor.count
                 && (source + count <= destination || destination + count <= source),
                 "copyElements: ranges at \(source) and \(destination) of \(count) elements in \(tensor.count)")
    tensor.withUnsafeMutablePointer { base in (base + destination).update(from: base + source, count: count) }
}

/// The update of elements `range` (parameter element `i` at `p + i`), eight lanes at a time: lane-wise IEEE
/// operations in the scalar order, so every element gets exactly the scalar loop's value.
func adamWUpdateLanes(_ range: Range<Int>, p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>,
                      m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, decay: Float,
                      _ c: AdamWStep) {
    typealias Lanes = SIMD8<Float>
    let oneMinusBeta1 = 1 - c.beta1, oneMinusBeta2 = 1 - c.beta2
    var index = range.lowerBound
    while index + 8 <= range.upperBound {
        let gradient = UnsafeRawPointer(g + index).loadUnaligned(as: Lanes.self)
        let first = UnsafeRawPointer(m + index).loadUnaligned(as: Lanes.self)
        let second = UnsafeRawPointer(v + index).loadUnaligned(as: Lanes.self)
        var parameter = UnsafeRawPointer(p + index).loadUnaligned(as: Lanes.self) * decay
        let firstNew = first + (gradient - first) * oneMinusBeta1
        let secondNew = second * c.beta2 + oneMinusBeta2 * gradient * gradient
        let denominator = secondNew.squareRoot() / c.biasCorrection2Root + c.epsilon
        parameter -= c.stepSize * (firstNew / denominator)
        UnsafeMutableRawPointer(m + index).storeBytes(of: firstNew, as: Lanes.self)
        UnsafeMutableRawPointer(v + index).storeBytes(of: secondNew, as: Lanes.self)
        UnsafeMutableRawPointer(p + index).storeBytes(of: parameter, as: Lanes.self)
        index += 8
    }
    while index < range.upperBound {
        var parameter = p[index] * decay
        let gradient = g[index]
        let firstNew = m[index] + (gradient - m[index]) * oneMinusBeta1
        let secondNew = v[index] * c.beta2 + oneMinusBeta2 * gradient * gradient
        m[index] = firstNew
        v[index] = secondNew
        let denominator = secondNew.squareRoot() / c.biasCorrection2Root + c.epsilon
        parameter -= c.stepSize * (firstNew / denominator)
        p[index] = parameter
        index += 1
    }
}
