/// A Swift type whose in-memory layout equals a safetensors dtype on little-endian machines, so tensor bytes can
/// be copied into and out of `[Self]` directly.
public protocol SafetensorsScalar: BitwiseCopyable, Sendable {
    /// The dtype whose elements have exactly this type's layout.
    static var tensorDType: TensorDType { get }
}

extension UInt8: SafetensorsScalar { public static var tensorDType: TensorDType { .uint8 } }
extension Int8: SafetensorsScalar { public static var tensorDType: TensorDType { .int8 } }
extension UInt16: SafetensorsScalar { public static var tensorDType: TensorDType { .uint16 } }
extension Int16: SafetensorsScalar { public static var tensorDType: TensorDType { .int16 } }
extension UInt32: SafetensorsScalar { public static var tensorDType: TensorDType { .uint32 } }
extension Int32: SafetensorsScalar { public static var tensorDType: TensorDType { .int32 } }
extension Float: SafetensorsScalar { public static var tensorDType: TensorDType { .float32 } }
extension UInt64: SafetensorsScalar { public static var tensorDType: TensorDType { .uint64 } }
extension Int64: SafetensorsScalar { public static var tensorDType: TensorDType { .int64 } }
extension Double: SafetensorsScalar { public static var tensorDType: TensorDType { .float64 } }
