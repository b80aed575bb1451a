import NeuralNet

/// SCAFFOLD - Karimireddy et al., "SCAFFOLD: Stochastic Controlled Averaging for Federated Learning",
/// ICML 2020, with option II control variates.
///
/// Client `i`: every local step uses `gradient + c - c_i`. After `K` local steps with step size `lr` from the
/// global `x` to `y_i`: `c_i+ = c_i - c + (x - y_i) / (K lr)`. Server (global step size 1): `x = sum_i p_i y_i`
/// with the aggregation weights `p_i`, and `c += sum_i (c_i+ - c_i) / N` over the participants, `N` = all clients.
/// Control variates cover the trainable entries; they start at zero.
public struct Scaffold: FederatedAlgorithm {
    /// `N`, the number of clients in the federation.
    public let clientCount: Int
    /// Server control variate `c` (nil until the first aggregation: zero).
    public private(set) var serverControl: ParameterSet?
    /// Client control variates `c_i` by client index (absent: zero).
    public private(set) var clientControls: [Int: ParameterSet] = [:]

    public init(clientCount: Int) {
        precondition(clientCount > 0, "need at least one client")
        self.clientCount = clientCount
    }

    public func adjustLocalGradients(_ gradients: inout ParameterSet, parameters: ParameterSet,
                                     global: ParameterSet, client: Int) {
        if let serverControl { gradients.addTrainable(serverControl) }
        if let clientControl = clientControls[client] { gradients.addTrainable(clientControl, scaledBy: -1) }
    }

    public mutating func aggregate(global: ParameterSet, outcomes: [ClientOutcome], weights: [Double],
                                   learningRate: Float) -> ParameterSet {
        let zero = ParameterSet.zeros(like: global)
        let server = serverControl ?? zero
        var serverChange = zero
        for outcome in outcomes {
            precondition(outcome.localSteps > 0, "SCAFFOLD needs at least one local step")
            let previous = clientControls[outcome.client] ?? zero
            var updated = previous
            updated.addTrainable(server, scaledBy: -1)
            let inverseStep = 1 / (Float(outcome.localSteps) * learningRate)
            updated.addTrainable(global, scaledBy: inverseStep)
            updated.addTrainable(outcome.parameters, scaledBy: -inverseStep)
            serverChange.addTrainable(updated)
            serverChange.addTrainable(previous, scaledBy: -1)
            clientControls[outcome.client] = updated
        }
        var nextServer = server
        nextServer.addTrainable(serverChange, scaledBy: 1 / Float(clientCount))
        serverControl = nextServer
        return ParameterSet.weightedMean(outcomes.map(\.parameters), weights: weights)
    }

    public func checkpointState() -> [String: ParameterSet] {
        var sets = [String: ParameterSet]()
        if let serverControl { sets["server-control"] = serverControl }
        for (client, control) in clientControls { sets["client-control/\(client)"] = control }
        return sets
    }

    public mutating func restoreState(_ sets: [String: ParameterSet]) throws(CheckpointError) {
        serverControl = sets["server-control"]
        clientControls = [:]
        for (name, control) in sets where name.hasPrefix("client-control/") {
            guard let client = Int(name.dropFirst("client-control/".count)), client >= 0, client < clientCount else {
                throw .algorithmState(name: name, reason: "a SCAFFOLD control variate for an unknown client")
            }
            clientControls[client] = control
        }
    }
}
