/// A dense float32 tensor: a shape and its elements in contiguous row-major order (last index fastest).
///
/// Images are NCHW (`[batch, channels, height, width]`), matrices `[rows, columns]`, convolution weights OIHW
/// (`[outChannels, inChannels, kernelHeight, kernelWidth]`), linear weights `[out, in]` as in PyTorch.
/// `storage.count` always equals the product of `shape` (a scalar has shape `[]` and one element).
/// The engine's ops read and write `storage` through unsafe buffer pointers; the struct itself is a plain value
/// (copy-on-write through `[Float]`).
///
/// The host elements are `@_spi(HostStorage)`: TensorEngine (the CPU backend), its tests and the CPU benchmarks see
/// them; NeuralNet and Federation do not, and read values only through `EngineBackend.download(_:)` and create
/// tensors only through the backend (`zeros`, `tensor(shape:values:)`), so that a device backend can own the
/// storage (docs/engine.md, "Backends").
public struct Tensor: Sendable, Equatable {
    /// Extent of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The elements, row-major. Its count must stay equal to `count` (ops check this with preconditions).
    @_spi(HostStorage) public var storage: [Float]

    /// A tensor over existing elements; `storage.count` must equal the product of `shape`.
    @_spi(HostStorage) public init(shape: [Int], storage: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(storage.count == Tensor.elementCount(of: shape),
                     "storage has \(storage.count) elements, shape \(shape) needs \(Tensor.elementCount(of: shape))")
        self.shape = shape
        self.storage = storage
    }

    /// A tensor with every element equal to `value` (default 0).
    @_spi(HostStorage) public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        self.shape = shape
        self.storage = [Float](repeating: value, count: Tensor.elementCount(of: shape))
    }

    /// A zero-filled tensor.
    @_spi(HostStorage) public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }

    /// A zero-filled tensor with the shape of `other`.
    @_spi(HostStorage) public static func zeros(like other: Tensor) -> Tensor {
        Tensor(shape: other.shape, repeating: 0)
    }

    /// Number of elements (product of `shape`).
    public var count: Int { storage.count }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }

    /// Changes the shape in place; the element count must not change.
    public mutating func reshape(_ newShape: [Int]) {
        precondition(Tensor.elementCount(of: newShape) == storage.count,
                     "cannot reshape \(shape) (\(storage.count) elements) to \(newShape)")
        shape = newShape
    }

    /// Row-major offset of a multi-index (one index per dimension).
    public func offset(of indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "\(indices.count) indices for a rank-\(shape.count) tensor")
        var offset = 0
        for (index, extent) in zip(indices, shape) {
            precondition(index >= 0 && index < extent, "index \(indices) out of range for shape \(shape)")
            offset = offset * extent + index
        }
        return offset
    }

    /// The element at a multi-index (convenience for tests and small code; hot loops use pointers).
    @_spi(HostStorage) public subscript(_ indices: Int...) -> Float {
        get { storage[offset(of: indices)] }
        set { storage[offset(of: indices)] = newValue }
    }

    /// Product of the extents (1 for a scalar).
    public static func elementCount(of shape: [Int]) -> Int { shape.reduce(1, *) }
}

extension Tensor {
    /// A tensor whose elements are NOT initialised: for outputs a kernel overwrites completely (saves a zeroing
    /// pass). Reading an element before writing it gives an arbitrary value.
    init(uninitializedShape shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        let count = Tensor.elementCount(of: shape)
        self.init(shape: shape, storage: [Float](unsafeUninitializedCapacity: count) { _, initialized in
            initialized = count
        })
    }
}
