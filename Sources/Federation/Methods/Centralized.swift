import NeuralNet

/// Centralized training, the upper bound: one "client" holding the union of all shards (in client order), trained
/// for `--local-epochs` epochs per round with the same optimiser, batch size and validation schedule. Simulated
/// only (`fednc-train train`); `server start` refuses it. Aggregating the single reply returns its model unchanged.
public struct Centralized: FederatedMethod {
    public static let name = "centralized"
    public static let displayName = "Centralized"
    public static let head = HeadKind.mlp
    public static let isFederated = false

    public init(configuration: RunConfiguration, clientCount: Int) {}
    public init() {}

    /// The union of the shards, in client order: the single client of a centralized run.
    public static func pooledClient(_ shards: [LabeledImages]) -> LabeledImages {
        LabeledImages.concatenating(shards)
    }

    public mutating func aggregate(global: ParameterSet, replies: [ClientReply], weights: [Double]) -> ParameterSet {
        precondition(replies.count == 1, "centralized training has one client")
        return replies[0].parameters
    }
}
