import ArgumentParser
import NeuralNet

/// FedProx - Li et al., "Federated Optimization in Heterogeneous Networks", MLSys 2020.
///
/// Client: minimises `loss(w) + mu/2 ||w - w_global||^2`, i.e. at every local step
/// `gradient += mu (w - w_global)` over the trainable entries (`--mu`, default 0.01); the message carries only
/// the global model. Server: the weighted mean. `mlp` head, BCE.
public struct FedProx: FederatedMethod {
    public static let name = "fedprox"
    public static let displayName = "FedProx"
    public static let head = HeadKind.mlp

    /// Proximal coefficient `mu`.
    public let mu: Float

    public init(configuration: RunConfiguration, clientCount: Int) {
        self.init(mu: configuration.mu)
    }

    public init(mu: Float = 0.01) {
        precondition(mu >= 0, "mu must be non-negative")
        self.mu = mu
    }

    public func adjustLocalGradients(_ gradients: inout ParameterSet, parameters: ParameterSet,
                                     context: ClientContext) {
        guard mu != 0 else { return }
        gradients.addTrainable(parameters, scaledBy: mu)
        gradients.addTrainable(context.global, scaledBy: -mu)
    }

    /// `--mu` (run.json `mu`).
    public struct Options: MethodOptionGroup {
        @Option(help: "FedProx proximal coefficient.") public var mu: Float = 0.01

        public init() {}

        public func validate() throws {
            guard mu >= 0 else { throw ValidationError("--mu must be >= 0") }
        }

        public func apply(to configuration: inout RunConfiguration) { configuration.mu = mu }
    }
}
