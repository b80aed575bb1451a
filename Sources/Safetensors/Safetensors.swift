import Foundation

/// Constants of the format and the one-shot writer for small files.
public enum Safetensors {
    /// Headers longer than this (100 MB, the limit of the reference implementation) are rejected before any
    /// parsing.
    public static let maximumHeaderByteCount: UInt64 = 100_000_000
    /// The data section starts at a multiple of this many bytes from the start of the file.
    public static let dataAlignment = 64
    /// The reserved header key for string-to-string metadata.
    public static let metadataKey = "__metadata__"

    /// Writes `tensors` and `metadata` to `url` in one go (temporary sibling file, then rename). For small files
    /// such as checkpoints and fixtures; the whole content is in memory already. Deterministic bytes.
    public static func write(tensors: [String: TensorData], metadata: [String: String] = [:], to url: URL)
        throws(SafetensorsError)
    {
        let header = SafetensorsHeader.layout(metadata: metadata,
                                              tensors: tensors.map { ($0.key, $0.value.dtype, $0.value.shape) })
        let output = try TemporarySibling(of: url)
        do {
            try output.file.write(header.encodedPrefix())
            for name in header.dataOrder {
                guard let tensor = tensors[name] else { continue }
                try output.file.write(tensor.bytes)
            }
            try output.commit()
        } catch {
            output.discard()
            throw error
        }
    }

    /// The complete file `write(tensors:metadata:to:)` would produce, in memory.
    public static func encode(tensors: [String: TensorData], metadata: [String: String] = [:]) -> [UInt8] {
        let header = SafetensorsHeader.layout(metadata: metadata,
                                              tensors: tensors.map { ($0.key, $0.value.dtype, $0.value.shape) })
        var bytes = header.encodedPrefix()
        for name in header.dataOrder { bytes += tensors[name]?.bytes ?? [] }
        return bytes
    }
}
