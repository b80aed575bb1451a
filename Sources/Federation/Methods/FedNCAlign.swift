import ArgumentParser
import NeuralNet

/// FedNCAlign-ML - Peng et al., "Neural Collapse-Inspired Multi-Label Federated Learning under
/// Label-Distribution Skew", arXiv 2509.12544.
///
/// The federated part is FedAvg (weighted mean of every parameter and buffer). What makes the method is in the
/// model: the fixed simplex-ETF classifier `W` (never trained, never aggregated - it is a buffer identical on
/// every client), the LADM attention head whose queries are ETF rows (`ladm-etf` head), and the loss
/// `BCE + lambda_rej * rejection + lambda_con * contrastive` (NeuralNet's `LossConfiguration`).
public struct FedNCAlign: FederatedMethod {
    public static let name = "fedncalign"
    public static let displayName = "FedNCAlign-ML"
    public static let head = HeadKind.ladmETF
    public static let trainsWithAlignmentLoss = true

    public init(configuration: RunConfiguration, clientCount: Int) {}
    public init() {}

    /// `--lambda-rej`, `--lambda-con`, `--tau`, `--temperature`, `--no-ladm`, `--queries`; recorded in run.json's
    /// `loss` and `modelConfiguration`.
    public struct Options: MethodOptionGroup {
        @Option(help: "FedNCAlign-ML rejection loss weight (0.01 advised for VOC/DermaMNIST).")
        public var lambdaRej: Float = 1
        @Option(help: "FedNCAlign-ML positive contrastive loss weight.") public var lambdaCon: Float = 1
        @Option(help: "FedNCAlign-ML rejection threshold tau.") public var tau: Float = 0.3
        @Option(help: "FedNCAlign-ML contrastive temperature.") public var temperature: Float = 0.07
        @Flag(help: "FedNCAlign-ML ablation: ETF classifier on the pooled feature, no LADM.") public var noLadm = false
        @Option(help: "FedNCAlign-ML LADM queries: fixed | learnable | random.") public var queries: QueryMode = .fixed

        public init() {}

        public func validate() throws {
            guard lambdaRej >= 0, lambdaCon >= 0, temperature > 0 else {
                throw ValidationError("--lambda-rej and --lambda-con must be >= 0, --temperature > 0")
            }
        }

        public func apply(to configuration: inout RunConfiguration) {
            configuration.loss = LossConfiguration(lambdaRejection: lambdaRej, lambdaContrastive: lambdaCon, tau: tau,
                                                   temperature: temperature)
            configuration.modelConfiguration.useLADM = !noLadm
            configuration.modelConfiguration.queries = queries
        }
    }
}

extension QueryMode: ExpressibleByArgument {}
