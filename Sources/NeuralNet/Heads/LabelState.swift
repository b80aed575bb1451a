/// What C-Tran's label-mask training tells the model about one class of one image (FedLGT, Liu et al. AAAI 2024,
/// after C-Tran, Lanchantin et al. CVPR 2021). The state selects a row of the frozen state embedding added to the
/// class's label token: unknown -> zeros, positive -> the text feature of "positive", negative -> "negative".
package enum LabelState: Int8, Sendable, CaseIterable {
    /// Not revealed: the model must predict it (the BCE term covers exactly these).
    case unknown = -1
    /// Revealed as absent.
    case negative = 0
    /// Revealed as present.
    case positive = 1

    /// The row of `head.state_embedding` `[3, d]`: 0 unknown (zeros), 1 positive, 2 negative.
    var embeddingRow: Int {
        switch self {
        case .unknown: 0
        case .positive: 1
        case .negative: 2
        }
    }
}
