/// What the header says about one tensor.
public struct TensorInfo: Sendable, Hashable {
    /// Element type.
    public let dtype: TensorDType
    /// Shape, outermost first; `[]` is a scalar (one element).
    public let shape: [Int]
    /// Byte range inside the data section (the header's `data_offsets`, relative to the first byte after the
    /// padded header).
    public let dataOffsets: Range<Int>

    /// Bytes of element data: `product(shape) * dtype.byteWidth`.
    public var byteCount: Int { dataOffsets.count }

    /// Number of elements, the product of `shape` (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Length of the leading dimension (`shape[0]`), or `nil` for a scalar.
    public var rowCount: Int? { shape.first }

    /// Bytes per row of the leading dimension: `product(shape[1...]) * dtype.byteWidth`, `nil` for a scalar.
    public var rowByteCount: Int? {
        shape.isEmpty ? nil : shape.dropFirst().reduce(1, *) * dtype.byteWidth
    }

    public init(dtype: TensorDType, shape: [Int], dataOffsets: Range<Int>) {
        self.dtype = dtype
        self.shape = shape
        self.dataOffsets = dataOffsets
    }
}
