import NeuralNet

/// FedCurv - Shoham et al., "Overcoming Forgetting in Federated Learning on Non-IID Data", NeurIPS 2019
/// workshop (elastic weight consolidation across clients).
///
/// Client `i` minimises `loss(w) + sum_{j != i} lambda * F_j . (w - w_j)^2` (`--fedcurv-lambda`, default 0.1),
/// where `w_j` and the diagonal Fisher `F_j` are client `j`'s parameters and mean squared loss gradients from the
/// last round it took part in. Gradient term: `2 lambda [ (U - F_i) w - (V - F_i w_i) ]` with the shared totals
/// `U = sum_j F_j` and `V = sum_j F_j w_j`. Server: FedAvg, then stores each participant's new `F_i`, `F_i w_i`.
public struct FedCurv: FederatedAlgorithm {
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

    public init(lambda: Float = 0.1) {
        precondition(lambda >= 0, "lambda must be non-negative")
        self.lambda = lambda
    }

    public var needsSquaredGradients: Bool { true }

    public func adjustLocalGradients(_ gradients: inout ParameterSet, parameters: ParameterSet,
                                     global: ParameterSet, client: Int) {
        guard lambda != 0, let fisherTotal, let weightedAnchorTotal else { return }
        let own = terms[client]
        let twoLambda = 2 * lambda
        for entry in gradients.entries where entry.isTrainable {
            for index in entry.range {
                let fisherOthers = fisherTotal.values[index] - (own?.fisher.values[index] ?? 0)
                let anchorOthers = weightedAnchorTotal.values[index] - (own?.weightedAnchor.values[index] ?? 0)
                gradients.values[index] += twoLambda * (fisherOthers * parameters.values[index] - anchorOthers)
            }
        }
    }

    public mutating func aggregate(global: ParameterSet, outcomes: [ClientOutcome], weights: [Double],
                                   learningRate: Float) -> ParameterSet {
        for outcome in outcomes {
            guard let fisher = outcome.squaredGradientMean else {
                preconditionFailure("FedCurv needs the clients' squared gradients")
            }
            var weightedAnchor = fisher
            for index in weightedAnchor.values.indices { weightedAnchor.values[index] *= outcome.parameters.values[index] }
            terms[outcome.client] = FisherTerm(fisher: fisher, weightedAnchor: weightedAnchor)
        }
        recomputeTotals()
        return ParameterSet.weightedMean(outcomes.map(\.parameters), weights: weights)
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
}
