import TensorEngine

/// Raw access to the flat model state (and its gradient) for the duration of one forward/backward pass, and the
/// engine backend that runs the pass. Layers address their tensors by offset into these buffers (offsets come
/// from `LayoutBuilder`) and call every kernel and allocation through `backend` (docs/engine.md, "Backends").
struct StateAccess {
    /// The backend every layer of this pass calls (the model's `backend`).
    let backend: any EngineBackend
    /// `ParameterSet.values` of the model's state; batch norm writes running statistics here in train mode.
    let values: UnsafeMutablePointer<Float>
    /// Gradient buffer with the same layout (accumulated into), or nil when no backward pass follows.
    let gradients: UnsafeMutablePointer<Float>?

    /// The gradient buffer; traps when the pass was started without one (a programmer error).
    var requiredGradients: UnsafeMutablePointer<Float> {
        guard let gradients else { preconditionFailure("backward pass without a gradient buffer") }
        return gradients
    }
}

/// Collects the model's named tensors in order and hands out their offsets in the flat `ParameterSet`.
struct LayoutBuilder {
    private(set) var layout: [(name: String, shape: [Int], isTrainable: Bool)] = []
    private(set) var count = 0

    /// Appends a tensor and returns the offset of its first element.
    mutating func add(_ name: String, _ shape: [Int], trainable: Bool = true) -> Int {
        let offset = count
        layout.append((name: name, shape: shape, isTrainable: trainable))
        count += shape.reduce(1, *)
        return offset
    }
}

extension StateAccess {
    /// A copy of the `shape`-sized tensor at `offset` in the state.
    func tensor(at offset: Int, shape: [Int]) -> Tensor {
        let count = shape.reduce(1, *)
        return backend.tensor(shape: shape, values: Array(UnsafeBufferPointer(start: values + offset, count: count)))
    }

    /// Overwrites the state at `offset` with `tensor`'s values (downloaded from the backend).
    func store(_ tensor: Tensor, at offset: Int) {
        backend.download(tensor).withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            (values + offset).update(from: base, count: source.count)
        }
    }

    /// Adds `tensor` into the gradient buffer at `offset`.
    func accumulateGradient(_ tensor: Tensor, at offset: Int) {
        let target = requiredGradients + offset
        backend.download(tensor).withUnsafeBufferPointer { source in
            EngineThreads.parallelElementwise(total: source.count) { range in
                for index in range { target[index] += source[index] }
            }
        }
    }
}
