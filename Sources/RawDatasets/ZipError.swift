/// What can be wrong with a ZIP archive (an `.npz`); every message names the file.
public enum ZipError: Error, CustomStringConvertible, Equatable {
    case notZip(file: String)
    case badDirectory(file: String, detail: String)
    case unsupportedMember(file: String, member: String, detail: String)
    case missingMember(file: String, member: String, present: [String])

    public var description: String {
        switch self {
        case let .notZip(file):
            return "\(file): not a ZIP archive (no end-of-central-directory record); the file is truncated or not an .npz"
        case let .badDirectory(file, detail):
            return "\(file): the ZIP directory is damaged (\(detail)); fetch the file again"
        case let .unsupportedMember(file, member, detail):
            return "\(file): member \(member) uses \(detail); re-save it with numpy.savez or savez_compressed"
        case let .missingMember(file, member, present):
            return "\(file): member \(member) is missing (present: \(present.joined(separator: ", "))); this is not a complete MedMNIST .npz"
        }
    }
}
