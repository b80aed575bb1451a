/// One whole tensor in memory: dtype, shape and little-endian element bytes. For small files (checkpoints,
/// fixtures); large datasets go through `SafetensorsWriter`, which never holds everything in memory.
public struct TensorData: Sendable, Hashable {
    /// Element type.
    public let dtype: TensorDType
    /// Shape, outermost first; `[]` is a scalar.
    public let shape: [Int]
    /// Element bytes, row-major; count is `product(shape) * dtype.byteWidth`.
    public let bytes: [UInt8]

    /// A tensor from raw bytes. `bytes.count` must equal `product(shape) * dtype.byteWidth`.
    public init(dtype: TensorDType, shape: [Int], bytes: [UInt8]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        let elementCount = shape.reduce(1, *)
        precondition(bytes.count == elementCount * dtype.byteWidth,
                     "\(bytes.count) bytes do not hold a \(dtype) tensor of shape \(shape)")
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// A tensor of `values`, row-major in `shape` (`values.count` must equal the product of `shape`).
    public init<Scalar: SafetensorsScalar>(_ values: [Scalar], shape: [Int]) {
        let bytes = values.withUnsafeBytes { [UInt8]($0) }
        self.init(dtype: Scalar.tensorDType, shape: shape, bytes: bytes)
    }

    /// The elements as `[Scalar]`; `Scalar.tensorDType` must equal `dtype` (a programmer error otherwise).
    public func values<Scalar: SafetensorsScalar>(as type: Scalar.Type) -> [Scalar] {
        precondition(Scalar.tensorDType == dtype, "tensor is \(dtype), not \(Scalar.tensorDType)")
        return bytes.withUnsafeBytes { raw in
            [Scalar](unsafeUninitializedCapacity: raw.count / dtype.byteWidth) { buffer, count in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
                count = raw.count / dtype.byteWidth
            }
        }
    }
}
