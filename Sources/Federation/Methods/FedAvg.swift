import NeuralNet

/// FedAvg - McMahan et al., "Communication-Efficient Learning of Deep Networks from Decentralized Data",
/// AISTATS 2017.
///
/// Client: plain local training from the global model; the reply carries the local model. Server: the weighted
/// mean `w = sum_i p_i w_i` (`averaged`), `p_i` proportional to sample counts (or equal with `--equal-weights`),
/// over every parameter and buffer. No state, no options; `mlp` head, BCE.
public struct FedAvg: FederatedMethod {
    public static let name = "fedavg"
    public static let displayName = "FedAvg"
    public static let head = HeadKind.mlp

    public init(configuration: RunConfiguration, clientCount: Int) {}
    public init() {}
}
