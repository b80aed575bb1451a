/// What happens to a sample none of whose candidate clients holds all of its labels (partition.md, "Routing").
public enum AbsentLabelPolicy: String, Sendable, Equatable, CaseIterable {
    /// Drop the sample (counted as `noEligibleClient`). The default.
    case drop
    /// Route it among the anchor class's holders anyway; the client's copy keeps only labels in its class set.
    case mask
}

/// What happens to samples with no positive label (partition.md, "Empty label sets").
public enum EmptyLabelPolicy: String, Sendable, Equatable, CaseIterable {
    /// Shuffle them and deal the k-th to client `k mod M`. The default.
    case spread
    /// Drop them (counted as `emptyLabels`).
    case drop
}

/// The knobs of the partition algorithm `partition/1`. Together with the label matrix they determine the
/// partition completely.
public struct PartitionParameters: Sendable, Equatable {
    /// `M`, the number of clients (at least 1). Default 10.
    public var clients: Int
    /// Dirichlet concentration `alpha` (> 0, or `.infinity` for exactly proportional quotas).
    public var alpha: Double
    /// Fraction of the `K` classes each client holds, in (0, 1]: `m = clamp(floor(rho*K + 1e-9), 1, K)`.
    public var rho: Double
    /// The seed of every random stream.
    public var seed: UInt64
    /// Default `.drop`.
    public var absentLabels: AbsentLabelPolicy
    /// Default `.spread`.
    public var emptyLabels: EmptyLabelPolicy
    /// Every client must end with at least this many samples (>= 0), else the next attempt runs. Default 1.
    public var minClientSize: Int

    /// Parameters with the spec's defaults for everything but `alpha`, `rho` and `seed`.
    public init(clients: Int = 10, alpha: Double, rho: Double, seed: UInt64,
                absentLabels: AbsentLabelPolicy = .drop, emptyLabels: EmptyLabelPolicy = .spread,
                minClientSize: Int = 1) {
        self.clients = clients
        self.alpha = alpha
        self.rho = rho
        self.seed = seed
        self.absentLabels = absentLabels
        self.emptyLabels = emptyLabels
        self.minClientSize = minClientSize
    }

    /// Checks the ranges above.
    /// - Throws: `PartitionError.invalidParameter` naming the parameter, its value and the allowed range.
    public func validate() throws(PartitionError) {
        guard clients >= 1 else {
            throw .invalidParameter(name: "clients", value: "\(clients)", requirement: "at least 1")
        }
        guard alpha > 0, !alpha.isNaN else {
            throw .invalidParameter(name: "alpha", value: "\(alpha)", requirement: "a number > 0, or inf")
        }
        guard rho > 0, rho <= 1 else {
            throw .invalidParameter(name: "rho", value: "\(rho)", requirement: "in (0, 1]")
        }
        guard minClientSize >= 0 else {
            throw .invalidParameter(name: "min-client-size", value: "\(minClientSize)", requirement: "at least 0")
        }
    }
}
