/// Errors a user can cause when partitioning: bad labels, bad parameters, or parameters under which no
/// attempt gives every client enough samples.
public enum PartitionError: Error, Equatable, Sendable {
    /// The label buffer does not hold `sampleCount * classCount` bytes, or there are no classes.
    case labelShapeMismatch(sampleCount: Int, classCount: Int, valueCount: Int)
    /// A label byte that is neither 0 nor 1.
    case nonBinaryLabel(sample: Int, classIndex: Int, value: UInt8)
    /// A parameter outside its range.
    case invalidParameter(name: String, value: String, requirement: String)
    /// All `attempts` attempts left some client below `minClientSize`; `smallestClients` are the clients of the
    /// last attempt below the minimum, smallest first, as (client index, size).
    case clientsTooSmall(attempts: Int, minClientSize: Int, smallestClients: [ClientSize])
    /// `clients` clients of at least `max(1, minClientSize)` samples each need more than the `sampleCount`
    /// training samples there are (checked before any work, so a huge `--clients` writes nothing).
    case tooManyClients(clients: Int, sampleCount: Int, minClientSize: Int)

    /// A client's index and sample count.
    public struct ClientSize: Equatable, Sendable {
        /// The client's index, 0-based.
        public let client: Int
        /// Its number of samples.
        public let size: Int

        /// Pairs a client with its size.
        public init(client: Int, size: Int) {
            self.client = client
            self.size = size
        }
    }
}

extension PartitionError: CustomStringConvertible {
    /// A message naming the record and the fix.
    public var description: String {
        switch self {
        case let .labelShapeMismatch(sampleCount, classCount, valueCount):
            return "label matrix: \(valueCount) label bytes do not form \(sampleCount) samples x \(classCount) "
                + "classes (need at least 1 class and exactly N*K bytes); re-create the prepared dataset"
        case let .nonBinaryLabel(sample, classIndex, value):
            return "label matrix: sample \(sample), class \(classIndex) has label \(value), but labels must be "
                + "0 or 1 (multi-hot); re-create the prepared dataset"
        case let .invalidParameter(name, value, requirement):
            return "--\(name) \(value) is invalid: it must be \(requirement)"
        case let .tooManyClients(clients, sampleCount, minClientSize):
            let perClient = max(1, minClientSize)
            if sampleCount == 0 {
                return "the training split has no samples, so no client can be filled; re-create the prepared "
                    + "dataset (its train split is empty)"
            }
            return "--clients \(clients) cannot be filled: the training split has \(sampleCount) samples and every "
                + "client needs at least \(perClient) (--min-client-size), so at most \(sampleCount / perClient) "
                + "clients; use --clients \(sampleCount / perClient) or fewer"
        case let .clientsTooSmall(attempts, minClientSize, smallestClients):
            let listed = smallestClients.prefix(5)
                .map { "client \($0.client) has \($0.size) sample\($0.size == 1 ? "" : "s")" }
                .joined(separator: ", ")
            return "partition failed: after \(attempts) attempts some clients still have fewer than "
                + "\(minClientSize) samples (last attempt: \(listed)); use a larger --alpha (less skew) or a "
                + "smaller --min-client-size"
        }
    }
}
