/// A safetensors element type, spelled as in the file's JSON header (`"U8"`, `"F32"`, ...).
///
/// All are fixed-width little-endian. `F16` and `BF16` are carried as opaque 2-byte elements (readable as raw
/// bytes, not as Swift numbers); `BOOL` is one byte per element.
public enum TensorDType: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case bool = "BOOL"
    case uint8 = "U8"
    case int8 = "I8"
    case uint16 = "U16"
    case int16 = "I16"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case uint32 = "U32"
    case int32 = "I32"
    case float32 = "F32"
    case uint64 = "U64"
    case int64 = "I64"
    case float64 = "F64"

    /// Bytes per element: 1, 2, 4 or 8.
    public var byteWidth: Int {
        switch self {
        case .bool, .uint8, .int8: 1
        case .uint16, .int16, .float16, .bfloat16: 2
        case .uint32, .int32, .float32: 4
        case .uint64, .int64, .float64: 8
        }
    }

    /// The header spelling, e.g. `"F32"`.
    public var description: String { rawValue }
}
