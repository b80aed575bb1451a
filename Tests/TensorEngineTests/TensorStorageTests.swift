@_spi(HostStorage) import TensorEngine
import Testing

/// `Tensor`'s backend-owned handle: copy-on-write on the handle, shapes over a backend's own storage.
@Suite("Tensor storage handle")
struct TensorStorageTests {
    /// A stand-in for a device backend's storage: no host elements.
    final class DeviceStandIn: TensorStorage {
        override func copy() -> TensorStorage { DeviceStandIn(count: count) }
    }

    @Test("a written copy gets its own handle; the original keeps its values; a unique tensor is written in place")
    func copyOnWrite() {
        var original = Tensor(shape: [2, 2], storage: [1, 2, 3, 4])
        let handle = ObjectIdentifier(original.handle)
        original.storage[0] = 5  // the only reference: no new handle
        #expect(ObjectIdentifier(original.handle) == handle)
        var copy = original
        #expect(copy.handle === original.handle)
        copy[1, 1] = 9
        #expect(copy.handle !== original.handle)
        #expect(original.storage == [5, 2, 3, 4] && copy.storage == [5, 2, 3, 9])
        let reshaped = original.reshaped([4])
        #expect(reshaped.handle === original.handle && reshaped.count == 4)
        #expect(original != copy && original == Tensor(shape: [2, 2], storage: [5, 2, 3, 4]))
    }

    @Test("a tensor over another backend's handle has its shape and count and compares by handle")
    func foreignHandle() {
        let device = DeviceStandIn(count: 6)
        let tensor = Tensor(shape: [2, 3], handle: device)
        #expect(tensor.count == 6 && tensor.shape == [2, 3] && tensor.handle === device)
        #expect(tensor == tensor.reshaped([2, 3]))
        #expect(tensor != Tensor(shape: [2, 3], handle: DeviceStandIn(count: 6)))
        #expect(tensor != Tensor(shape: [2, 3], storage: [0, 0, 0, 0, 0, 0]))
    }
}
