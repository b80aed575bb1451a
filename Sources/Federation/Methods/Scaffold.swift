import NeuralNet

/// SCAFFOLD - Karimireddy et al., "SCAFFOLD: Stochastic Controlled Averaging for Federated Learning",
/// ICML 2020, with option II control variates.
///
/// Client `i` (state `c_i`, kept on its own disk, zero before its first round): every local step uses
/// `gradient + c - c_i`. After `K` local steps with step size `lr` from the global `x` to `y_i`:
/// `c_i+ = c_i - c + (x - y_i) / (K lr)`; the reply carries `y_i` and the control change `c_i+ - c_i`
/// (set `control-change`). Server (global step size 1): `x = sum_i p_i y_i` with the aggregation weights `p_i`,
/// and `c += (sum_i (c_i+ - c_i)) / N` over the participants in client order, `N` = all clients; `c` (set
/// `server-control`, zero until the first aggregation) is the checkpointed state and travels in every message.
/// Control variates cover the trainable entries.
public struct Scaffold: FederatedMethod {
    public static let name = "scaffold"
    public static let displayName = "SCAFFOLD"
    public static let head = HeadKind.mlp

    /// `N`, the number of clients in the federation.
    public let clientCount: Int
    /// Server control variate `c` (nil until the first aggregation: zero).
    public private(set) var serverControl: ParameterSet?

    public init(configuration: RunConfiguration, clientCount: Int) {
        self.init(clientCount: clientCount)
    }

    public init(clientCount: Int) {
        precondition(clientCount > 0, "need at least one client")
        self.clientCount = clientCount
    }

    // MARK: Server half

    public func messageSets(for client: Int) -> [String: ParameterSet] {
        serverControl.map { ["server-control": $0] } ?? [:]
    }

    public mutating func aggregate(global: ParameterSet, replies: [ClientReply], weights: [Double]) -> ParameterSet {
        var serverChange = ParameterSet.zeros(like: global)
        for reply in replies {
            guard let change = reply.sets["control-change"] else {
                preconditionFailure("a SCAFFOLD reply without its control change")
            }
            serverChange.addTrainable(change)
        }
        var nextServer = serverControl ?? .zeros(like: global)
        nextServer.addTrainable(serverChange, scaledBy: 1 / Float(clientCount))
        serverControl = nextServer
        return averaged(replies, weights: weights)
    }

    public func checkpointState() -> [String: ParameterSet] {
        serverControl.map { ["server-control": $0] } ?? [:]
    }

    public mutating func restoreState(_ sets: [String: ParameterSet]) throws(CheckpointError) {
        if let unknown = sets.keys.first(where: { $0 != "server-control" }) {
            throw .algorithmState(name: unknown, reason: "not a SCAFFOLD server set")
        }
        serverControl = sets["server-control"]
    }

    // MARK: Client half

    public func adjustLocalGradients(_ gradients: inout ParameterSet, parameters: ParameterSet,
                                     context: ClientContext) {
        if let server = context.messageSets["server-control"] { gradients.addTrainable(server) }
        if let own = context.clientState["client-control"] { gradients.addTrainable(own, scaledBy: -1) }
    }

    public func finishLocalTraining(_ outcome: LocalOutcome, context: ClientContext)
        -> (replySets: [String: ParameterSet], clientState: [String: ParameterSet]) {
        precondition(outcome.localSteps > 0, "SCAFFOLD needs at least one local step")
        let zero = ParameterSet.zeros(like: context.global)
        let previous = context.clientState["client-control"] ?? zero
        var updated = previous
        updated.addTrainable(context.messageSets["server-control"] ?? zero, scaledBy: -1)
        let inverseStep = 1 / (Float(outcome.localSteps) * context.learningRate)
        updated.addTrainable(context.global, scaledBy: inverseStep)
        updated.addTrainable(outcome.parameters, scaledBy: -inverseStep)
        var change = updated
        change.addTrainable(previous, scaledBy: -1)
        return (["control-change": change], ["client-control": updated])
    }
}
