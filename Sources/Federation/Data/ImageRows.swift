import Safetensors

/// Where a set's pixels live: in memory, or in a memory-mapped safetensors tensor (`images` U8 `[n, H, W, C]`),
/// so a large split is paged in as batches touch it instead of being copied up front.
public enum ImageRows: Sendable {
    /// `count * imageByteCount` bytes.
    case memory([UInt8])
    /// Tensor `name` of `file`.
    case mapped(SafetensorsFile, tensor: String)

    /// Appends image `index` (`imageByteCount` bytes) to `buffer`.
    func appendImage(_ index: Int, imageByteCount: Int, to buffer: inout [UInt8]) {
        switch self {
        case .memory(let pixels):
            buffer.append(contentsOf: pixels[(index * imageByteCount)..<((index + 1) * imageByteCount)])
        case .mapped(let file, let tensor):
            do {
                try file.withUnsafeRows(tensor, index..<(index + 1)) { buffer.append(contentsOf: $0) }
            } catch {
                // The reader validated the tensor's shape when the set was made; a failure here is a bug.
                preconditionFailure("\(file.url.path): reading image \(index) failed: \(error)")
            }
        }
    }
}
