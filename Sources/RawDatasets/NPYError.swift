/// What can be wrong with a `.npy` array (inside an `.npz`); every message names the member.
public enum NPYError: Error, CustomStringConvertible, Equatable {
    case badMagic(origin: String)
    case unsupportedVersion(origin: String, major: UInt8)
    case badHeader(origin: String, detail: String)
    case unsupportedDType(origin: String, descr: String, reason: String)
    case fortranOrder(origin: String)
    case sizeMismatch(origin: String, shape: [Int], declaredBytes: Int?, actualBytes: Int)
    case unexpectedShape(origin: String, shape: [Int], expected: String)

    public var description: String {
        switch self {
        case let .badMagic(origin):
            return "\(origin): not a .npy array (missing the \\x93NUMPY magic); re-save it with numpy.save"
        case let .unsupportedVersion(origin, major):
            return "\(origin): .npy format version \(major) is not supported (1, 2 and 3 are); re-save it with numpy.save"
        case let .badHeader(origin, detail):
            return "\(origin): unreadable .npy header (\(detail)); the file is damaged or not written by numpy"
        case let .unsupportedDType(origin, descr, reason):
            return "\(origin): dtype '\(descr)' is refused (\(reason)); MedMNIST arrays are uint8 ('|u1') - convert with arr.astype(np.uint8)"
        case let .fortranOrder(origin):
            return "\(origin): image arrays in Fortran order are not supported; re-save with np.ascontiguousarray(arr)"
        case let .sizeMismatch(origin, shape, declared, actual):
            let declaredText = declared.map { "\($0) bytes" } ?? "an impossible size"
            return "\(origin): the header declares shape \(shape) (\(declaredText)) but the member holds \(actual) bytes of data; the file is truncated or damaged"
        case let .unexpectedShape(origin, shape, expected):
            return "\(origin): shape \(shape), expected \(expected); this is not a 2D MedMNIST file"
        }
    }
}
