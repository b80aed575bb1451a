/// Reductions over float buffers with eight SIMD lanes (loops with a scalar accumulator do not vectorise, since
/// float addition is not reassociated by the compiler). Results depend only on `count`, never on threads.
enum VectorKernels {
    /// `sum(p[0..<count])`.
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
        var accumulator = SIMD8<Float>()
        var index = 0
        while index + 8 <= count {
            accumulator += UnsafeRawPointer(p + index).loadUnaligned(as: SIMD8<Float>.self)
            index += 8
        }
        var total = accumulator.sum()
        while index < count { total += p[index]; index += 1 }
        return total
    }

    /// `sum((p[i] - center)^2)`.
    @inline(__always)
    static func sumOfSquaredDeviations(_ p: UnsafePointer<Float>, _ count: Int, center: Float) -> Float {
        var accumulator = SIMD8<Float>()
        let centerVector = SIMD8<Float>(repeating: center)
        var index = 0
        while index + 8 <= count {
            let deviation = UnsafeRawPointer(p + index).loadUnaligned(as: SIMD8<Float>.self) - centerVector
            accumulator += deviation * deviation
            index += 8
        }
        var total = accumulator.sum()
        while index < count { let d = p[index] - center; total += d * d; index += 1 }
        return total
    }

    /// `sum(p[i] * q[i])`.
    @inline(__always)
    static func dot(_ p: UnsafePointer<Float>, _ q: UnsafePointer<Float>, _ count: Int) -> Float {
        var accumulator = SIMD8<Float>()
        var index = 0
        while index + 8 <= count {
            accumulator += UnsafeRawPointer(p + index).loadUnaligned(as: SIMD8<Float>.self)
                * UnsafeRawPointer(q + index).loadUnaligned(as: SIMD8<Float>.self)
            index += 8
        }
        var total = accumulator.sum()
        while index < count { total += p[index] * q[index]; index += 1 }
        return total
    }

    /// `sum(p[i] * (q[i] - center))`.
    @inline(__always)
    static func dotCentered(_ p: UnsafePointer<Float>, _ q: UnsafePointer<Float>, _ count: Int, center: Float) -> Float {
        var accumulator = SIMD8<Float>()
        let centerVector = SIMD8<Float>(repeating: center)
        var index = 0
        while index + 8 <= count {
            accumulator += UnsafeRawPointer(p + index).loadUnaligned(as: SIMD8<Float>.self)
                * (UnsafeRawPointer(q + index).loadUnaligned(as: SIMD8<Float>.self) - centerVector)
            index += 8
        }
        var total = accumulator.sum()
        while index < count { total += p[index] * (q[index] - center); index += 1 }
        return total
    }
}

extension VectorKernels {
    /// Copies `count` floats (non-overlapping) with inline SIMD moves: im2col copies rows of 2 to 64 floats,
    /// where a `memmove` call per row costs more than the copy.
    @inline(__always)
    static func copy(_ source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        while index + 8 <= count {
            UnsafeMutableRawPointer(destination + index).storeBytes(
                of: UnsafeRawPointer(source + index).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
            index += 8
        }
        if index + 4 <= count {
            UnsafeMutableRawPointer(destination + index).storeBytes(
                of: UnsafeRawPointer(source + index).loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
            index += 4
        }
        while index < count {
            destination[index] = source[index]
            index += 1
        }
    }

    /// Sets `count` floats to zero with inline SIMD stores (short runs; see `copy`).
    @inline(__always)
    static func zero(_ destination: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        while index + 8 <= count {
            UnsafeMutableRawPointer(destination + index).storeBytes(of: SIMD8<Float>(), as: SIMD8<Float>.self)
            index += 8
        }
        while index < count {
            destination[index] = 0
            index += 1
        }
    }

    /// `destination[i] += source[i]` for `count` floats (col2im rows).
    @inline(__always)
    static func accumulate(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, count: Int) {
        var index = 0
        while index + 8 <= count {
            let sum = UnsafeRawPointer(destination + index).loadUnaligned(as: SIMD8<Float>.self)
                + UnsafeRawPointer(source + index).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(destination + index).storeBytes(of: sum, as: SIMD8<Float>.self)
            index += 8
        }
        while index < count {
            destination[index] += source[index]
            index += 1
        }
    }
}
