/// A dense float32 tensor: a shape and its elements in contiguous row-major order (last index fastest).
///
/// Images are NCHW (`[batch, channels, height, width]`), matrices `[rows, columns]`, convolution weights OIHW
/// (`[outChannels, inChannels, kernelHeight, kernelWidth]`), linear weights `[out, in]` as in PyTorch.
/// `count` always equals the product of `shape` (a scalar has shape `[]` and one element).
///
/// The elements sit behind `handle`, a `TensorStorage` made by the backend that created the tensor (the CPU's
/// `HostBuffer`, host floats). The struct is a plain value: copies share the handle until one is written
/// (copy-on-write). The host view (`storage`, the host initialisers, the subscript, the pointer accessors) is
/// `@_spi(HostStorage)` and needs host storage: TensorEngine's CPU kernels, its tests and the CPU benchmarks use
/// it; NeuralNet and Federation do not see it, and read values only through `EngineBackend.download(_:)` and
/// create tensors only through the backend (docs/engine.md, "Backends").
public struct Tensor: Sendable {
    /// Extent of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The backend's handle to the elements.
    public private(set) var handle: TensorStorage

    /// A tensor over a backend's handle; `handle.count` must equal the product of `shape`.
    public init(shape: [Int], handle: TensorStorage) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(handle.count == Tensor.elementCount(of: shape),
                     "storage has \(handle.count) elements, shape \(shape) needs \(Tensor.elementCount(of: shape))")
        self.shape = shape
        self.handle = handle
    }

    /// A tensor over host elements (CPU storage); `storage.count` must equal the product of `shape`.
    @_spi(HostStorage) public init(shape: [Int], storage: [Float]) {
        self.init(shape: shape, handle: HostBuffer(storage))
    }

    /// A host tensor with every element equal to `value` (default 0).
    @_spi(HostStorage) public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        self.init(shape: shape, storage: [Float](repeating: value, count: Tensor.elementCount(of: shape)))
    }

    /// The elements, row-major, in host storage (a CPU kernel given another backend's tensor traps). Writing
    /// copies the handle first when another tensor shares it; the count must not change.
    @_spi(HostStorage) public var storage: [Float] {
        get { hostBuffer.values }
        set {
            precondition(newValue.count == count, "storage of \(newValue.count) elements for shape \(shape)")
            handle = HostBuffer(newValue)
        }
        _modify {
            if !isKnownUniquelyReferenced(&handle) { handle = hostBuffer.copy() }
            let buffer = hostBuffer
            yield &buffer.values
            precondition(buffer.values.count == count, "storage of \(buffer.values.count) elements for \(shape)")
        }
    }

    /// The host buffer behind `handle`.
    private var hostBuffer: HostBuffer {
        guard let buffer = handle as? HostBuffer else {
            preconditionFailure("a CPU kernel got a tensor in \(type(of: handle)) storage; tensors of another "
                                + "backend go through that backend")
        }
        return buffer
    }

    /// A zero-filled host tensor.
    @_spi(HostStorage) public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }

    /// A zero-filled host tensor with the shape of `other`.
    @_spi(HostStorage) public static func zeros(like other: Tensor) -> Tensor {
        Tensor(shape: other.shape, repeating: 0)
    }

    /// Number of elements (product of `shape`).
    public var count: Int { handle.count }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// The same elements under another shape with the same element count (the handle is shared).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, handle: handle)
    }

    /// Changes the shape in place; the element count must not change.
    public mutating func reshape(_ newShape: [Int]) {
        precondition(Tensor.elementCount(of: newShape) == count,
                     "cannot reshape \(shape) (\(count) elements) to \(newShape)")
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

extension Tensor: Equatable {
    /// Equal shapes and elements: the same handle, or host buffers with equal values. Tensors in another backend's
    /// storage compare by handle identity (their values are that backend's to download).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.shape == rhs.shape else { return false }
        if lhs.handle === rhs.handle { return true }
        guard let left = lhs.handle as? HostBuffer, let right = rhs.handle as? HostBuffer else { return false }
        return left.values == right.values
    }
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
