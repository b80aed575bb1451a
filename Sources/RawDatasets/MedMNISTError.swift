/// What can be wrong with a MedMNIST `.npz` beyond its ZIP and NPY layers.
public enum MedMNISTError: Error, CustomStringConvertible, Equatable {
    case inconsistent(file: String, detail: String)
    case badLabel(file: String, split: String, record: Int, detail: String)

    public var description: String {
        switch self {
        case let .inconsistent(file, detail):
            return "\(file): \(detail); this is not a consistent 2D MedMNIST file"
        case let .badLabel(file, split, record, detail):
            return "\(file): \(split) record \(record): \(detail)"
        }
    }
}
