/// Which trainable entries AdamW decays (`--weight-decay-rule`).
public enum WeightDecayRule: String, Codable, Sendable, CaseIterable {
    /// The paper's protocol (FedNC's default): entries of rank >= 2 (convolution and linear weights, learnable
    /// queries); biases, batch/layer-norm weights and the logit scale `s` get none.
    case rankAtLeastTwo = "rank-at-least-2"
    /// The authors' code (`create_optimizer` of FedNCAlign-ML: no decay for names containing "bias" or
    /// "LayerNorm.weight"): every trainable entry except biases, so batch-norm weights, the MLP head's LayerNorm
    /// weight (named `head.1.weight`, not `LayerNorm.weight`, there too) and `s` are decayed.
    case allButBiases = "all-but-biases"

    /// True when AdamW decays `entry` under this rule (never for entries that are not trainable).
    public func decays(_ entry: ParameterSet.Entry) -> Bool {
        guard entry.isTrainable else { return false }
        switch self {
        case .rankAtLeastTwo: return entry.shape.count >= 2
        case .allButBiases: return !entry.name.contains("bias") && !entry.name.contains("LayerNorm.weight")
        }
    }
}
