import ArgumentParser
import NeuralNet

/// FedCurv - Shoham et al., "Overcoming Forgetting in Federated Learning on Non-IID Data", NeurIPS 2019
/// workshop (elastic weight consolidation across clients).
///
/// Client `i` minimises `loss(w) + sum_{j != i} lambda * F_j . (w - w_j)^2` (`--fedcurv-lambda`, default 0.1),
/// where `w_j` and the diagonal Fisher `F_j` are client `j`'s parameters and mean squared loss gradients from the
/// last round it took part in. Gradient term: `2 lambda [ (U - F_i) w - (V - F_i w_i) ]` with the totals
/// `U = sum_j F_j` and `V = sum_j F_j w_j`. The message to client `i` carries `U - F_i` and `V - F_i w_i` (sets
/// `fisher-others`, `anchor-others`; absent before any term exists); the reply carries `F_i` (set `fisher`).
/// Server: the weighted mean, then stores each participant's `F_i`, `F_i w_i` (checkpointed).
public struct FedCurv: FederatedMethod {
    public static let name = "fedcurv"
    public static let displayName = "FedCurv"
    public static let head = HeadKind.mlp

    /// One client's shared curvature term.
    public struct FisherTerm: Sendable, Equatable {
        /// Diagonal Fisher `F_j`: mean over local steps of the squared gradients (trainable entries).
        public var fisher: ParameterSet
        /// `F_j * w_j`, element-wise.
        public var weightedAnchor: ParameterSet
    }

    /// Penalty strength `lambda`.
    public let lambda: Float
    /// Terms by client index; clients that never took part contribute nothing.
    public private(set) var terms: [Int: FisherTerm] = [:]
    private var fisherTotal: ParameterSet?
    private var weightedAnchorTotal: ParameterSet?

    public init(configuration: RunConfiguration, clientCount: Int) {
        self.init(lambda: configuration.fedCurvLambda)
    }

    public init(lambda: Float = 0.1) {
        precondition(lambda >= 0, "lambda must be non-negative")
        self.lambda = lambda
    }

    // MARK: Server half

    public func messageSets(for client: Int) -> [String: ParameterSet] {
        guard let fisherTotal, let weightedAnchorTotal else { return [:] }
        guard let own = terms[client] else {
            return ["fisher-others": fisherTotal, "anchor-others": weightedAnchorTotal]
        }
        var fisherOthers = fisherTotal, anchorOthers = weightedAnchorTotal
        for index in fisherOthers.values.indices {
            fisherOthers.values[index] -= own.fisher.values[index]
            anchorOthers.values[index] -= own.weightedAnchor.values[index]
        }
        return ["fisher-others": fisherOthers, "anchor-others": anchorOthers]
    }

    public mutating func aggregate(global: ParameterSet, replies: [ClientReply], weights: [Double]) -> ParameterSet {
        for reply in replies {
            guard let fisher = reply.sets["fisher"] else { preconditionFailure("a FedCurv reply without its Fisher") }
            var weightedAnchor = fisher
            for index in weightedAnchor.values.indices { weightedAnchor.values[index] *= reply.parameters.values[index] }
            terms[reply.client] = FisherTerm(fisher: fisher, weightedAnchor: weightedAnchor)
        }
        recomputeTotals()
        return averaged(replies, weights: weights)
    }

    public func checkpointState() -> [String: ParameterSet] {
        var sets = [String: ParameterSet]()
        for (client, term) in terms {
            sets["fisher/\(client)"] = term.fisher
            sets["fisher-anchor/\(client)"] = term.weightedAnchor
        }
        return sets
    }

    public mutating func restoreState(_ sets: [String: ParameterSet]) throws(CheckpointError) {
        terms = [:]
        for (name, fisher) in sets where name.hasPrefix("fisher/") {
            guard let client = Int(name.dropFirst("fisher/".count)),
                  let weightedAnchor = sets["fisher-anchor/\(client)"] else {
                throw .algorithmState(name: name, reason: "a FedCurv term without its client index or anchor")
            }
            terms[client] = FisherTerm(fisher: fisher, weightedAnchor: weightedAnchor)
        }
        recomputeTotals()
    }

    /// `U` and `V`, summed in ascending client order.
    private mutating func recomputeTotals() {
        let ordered = terms.keys.sorted().compactMap { terms[$0] }
        guard let first = ordered.first else {
            fisherTotal = nil
            weightedAnchorTotal = nil
            return
        }
        var fisher = ParameterSet.zeros(like: first.fisher), anchor = fisher
        for term in ordered {
            fisher.add(term.fisher)
            anchor.add(term.weightedAnchor)
        }
        fisherTotal = fisher
        weightedAnchorTotal = anchor
    }

    // MARK: Client half

    public var needsSquaredGradients: Bool { true }

    public func adjustLocalGradients(_ gradients: inout ParameterSet, parameters: ParameterSet,
                                     context: ClientContext) {
        guard lambda != 0, let fisherOthers = context.messageSets["fisher-others"],
              let anchorOthers = context.messageSets["anchor-others"] else { return }
        let twoLambda = 2 * lambda
        for entry in gradients.entries where entry.isTrainable {
            for index in entry.range {
                gradients.values[index] += twoLambda * (fisherOthers.values[index] * parameters.values[index]
                                                        - anchorOthers.values[index])
            }
        }
    }

    public func finishLocalTraining(_ outcome: LocalOutcome, context: ClientContext)
        -> (replySets: [String: ParameterSet], clientState: [String: ParameterSet]) {
        guard let fisher = outcome.squaredGradientMean else {
            preconditionFailure("FedCurv's local training collects squared gradients")
        }
        return (["fisher": fisher], [:])
    }

    /// `--fedcurv-lambda` (run.json `fedCurvLambda`).
    public struct Options: MethodOptionGroup {
        @Option(help: "FedCurv penalty strength.") public var fedcurvLambda: Float = 0.1

        public init() {}

        public func validate() throws {
            guard fedcurvLambda >= 0 else { throw ValidationError("--fedcurv-lambda must be >= 0") }
        }

        public func apply(to configuration: inout RunConfiguration) { configuration.fedCurvLambda = fedcurvLambda }
    }
}
