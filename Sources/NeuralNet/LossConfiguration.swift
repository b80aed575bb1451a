/// Weights and constants of the training loss `BCE + lambdaRejection * rejection + lambdaContrastive * contrastive`
/// (trainer.md, "Losses"). Baselines use `.binaryCrossEntropyOnly`.
public struct LossConfiguration: Codable, Sendable, Equatable {
    /// Weight of the rejection loss on negatives. Default 1 (0.01 advised for cluttered backgrounds).
    public var lambdaRejection: Float
    /// Weight of the positive contrastive loss. Default 1. Must be 0 with the `mlp` head (it has no prototypes).
    public var lambdaContrastive: Float
    /// Rejection threshold on `sigmoid(max_j z)`. Default 0.3.
    public var tau: Float
    /// Contrastive temperature. Default 0.07.
    public var temperature: Float

    public init(lambdaRejection: Float = 1, lambdaContrastive: Float = 1, tau: Float = 0.3, temperature: Float = 0.07) {
        self.lambdaRejection = lambdaRejection
        self.lambdaContrastive = lambdaContrastive
        self.tau = tau
        self.temperature = temperature
    }

    /// BCE only (both lambdas zero): what the baselines train with.
    public static let binaryCrossEntropyOnly = LossConfiguration(lambdaRejection: 0, lambdaContrastive: 0)
}
