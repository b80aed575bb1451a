/// What can be wrong with a CIFAR-10 binary-version input; every message names the file and the fix.
public enum CIFAR10Error: Error, CustomStringConvertible, Equatable {
    case notFound(path: String)
    case missingMember(origin: String, name: String)
    case wrongBatchSize(file: String, size: Int, expected: Int)
    case badLabel(file: String, record: Int, label: UInt8)
    case badClassList(file: String, detail: String)
    case checksumMismatch(file: String, expected: String, actual: String)

    public var description: String {
        switch self {
        case let .notFound(path):
            return "\(path): not found; point --raw at the folder cifar-10-batches-bin/ or at cifar-10-binary.tar.gz"
        case let .missingMember(origin, name):
            return "\(origin): \(name) is missing; the download is incomplete - fetch cifar-10-binary.tar.gz again"
        case let .wrongBatchSize(file, size, expected):
            if expected == 0 {
                return "\(file): \(size) bytes is not a whole number of 3,073-byte records between 1 and 10,000; the file is truncated or not a CIFAR-10 binary batch"
            }
            return "\(file): \(size) bytes, but a CIFAR-10 batch is exactly \(expected) bytes (10,000 records of 3,073); the file is truncated or not a CIFAR-10 binary batch (sample data with fewer records needs --allow-short-batches)"
        case let .badLabel(file, record, label):
            return "\(file): record \(record) has label byte \(label), but CIFAR-10 labels are 0-9; this is not the binary version of CIFAR-10 (CIFAR-100 has 2 label bytes)"
        case let .badClassList(file, detail):
            return "\(file): \(detail); batches.meta.txt must list the 10 class names, one per line"
        case let .checksumMismatch(file, expected, actual):
            return "\(file): md5 \(actual), expected \(expected); the download is corrupt - fetch it again"
        }
    }
}
