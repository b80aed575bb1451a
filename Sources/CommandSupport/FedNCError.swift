/// An error a user can cause and fix, reported by the command-line tools as one `error: <description>` line on
/// standard error followed by exit code `exitCode`.
///
/// `description` should name the file, the record and the fix ("data_batch_3.bin is 30,729,999 bytes, expected
/// 30,730,000: the download is incomplete, download it again"). Errors that do not adopt the protocol are still
/// reported by `runMain()`, through their `CustomStringConvertible` description and exit code 1.
public protocol FedNCError: Error, CustomStringConvertible {
    /// The process exit code; 1 unless a tool documents a more specific one.
    var exitCode: Int32 { get }
}

extension FedNCError {
    public var exitCode: Int32 { 1 }
}
