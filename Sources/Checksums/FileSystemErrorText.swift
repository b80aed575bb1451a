#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The reason part of a failed file operation, for messages that already name the path: the system's words
/// ("Permission denied", "No space left on device", "File exists") without the path again and without
/// Foundation's internals (`Error Domain=NSCocoaErrorDomain Code=516 ...`). Lives in `Checksums`, the lowest
/// module every data tool links that touches files.
package enum FileSystemErrorText {
    /// A short reason for `error`; an error of our own keeps its description.
    package static func reason(_ error: any Error) -> String {
        switch error {
        case let ChecksumError.cannotOpen(_, reason), let ChecksumError.readFailed(_, reason):
            return reason
        default:
            break
        }
        let bridged = error as NSError
        if bridged.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(bridged.code))) }
        if let underlying = bridged.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if bridged.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: bridged.code) {
            case .fileWriteFileExists: return "it already exists"
            case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
            case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
            case .fileWriteOutOfSpace: return "no space left on device"
            case .fileWriteVolumeReadOnly: return "read-only file system"
            default: return "the file system refused (code \(bridged.code))"
            }
        }
        return String(describing: error)
    }
}
