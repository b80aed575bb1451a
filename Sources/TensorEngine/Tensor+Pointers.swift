extension Tensor {
    /// Calls `body` with a pointer to the elements (row-major, `count` of them).
    @_spi(HostStorage) @inlinable
    public func withUnsafePointer<Result>(_ body: (UnsafePointer<Float>) throws -> Result) rethrows -> Result {
        try storage.withUnsafeBufferPointer { buffer in
            // An empty array may have a nil base address; hand out a valid dummy pointer instead.
            guard let base = buffer.baseAddress else {
                var dummy: Float = 0
                return try Swift.withUnsafePointer(to: &dummy) { try body($0) }
            }
            return try body(base)
        }
    }

    /// Calls `body` with a mutable pointer to the elements (row-major, `count` of them).
    @_spi(HostStorage) @inlinable
    public mutating func withUnsafeMutablePointer<Result>(
        _ body: (UnsafeMutablePointer<Float>) throws -> Result
    ) rethrows -> Result {
        try storage.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else {
                var dummy: Float = 0
                return try Swift.withUnsafeMutablePointer(to: &dummy) { try body($0) }
            }
            return try body(base)
        }
    }
}
