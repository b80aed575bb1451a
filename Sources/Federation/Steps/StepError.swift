/// A refused or failed step (exchange files, client checks, reply sets): the message names the file, the node or
/// client, and the fix.
public struct StepError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
