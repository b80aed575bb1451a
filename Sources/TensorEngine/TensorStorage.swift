/// Where a tensor's elements live: a handle made and owned by the backend that created the tensor. The CPU's is
/// `HostBuffer` (host floats); a device backend subclasses this class with its own buffer and overrides `copy()`.
/// Tensors share a handle until one of them is written: the writer first takes `copy()` (copy-on-write on the
/// handle, `Tensor.storage`'s modify accessor).
///
/// `@unchecked Sendable`: a handle is mutated only through a tensor that holds the only reference to it.
open class TensorStorage: @unchecked Sendable {
    /// Number of elements.
    public let count: Int

    public init(count: Int) {
        precondition(count >= 0, "TensorStorage: negative element count \(count)")
        self.count = count
    }

    /// A handle with the same elements that a tensor can write without changing this one. Subclasses override it;
    /// the base class has no elements to copy.
    open func copy() -> TensorStorage {
        preconditionFailure("\(type(of: self)) does not implement copy()")
    }
}

/// The CPU backend's storage: the elements as a host array (itself copy-on-write, so `copy()` copies no floats
/// until one side writes).
final class HostBuffer: TensorStorage {
    var values: [Float]

    init(_ values: [Float]) {
        self.values = values
        super.init(count: values.count)
    }

    override func copy() -> TensorStorage { HostBuffer(values) }
}
