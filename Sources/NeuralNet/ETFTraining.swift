/// Whether the ladm-etf head trains its simplex ETF `head.etf` (`--etf-training`, issue 18 point 1).
///
/// With LADM and `QueryMode.fixed` the ETF rows are also the attention's queries, so training the ETF trains the
/// queries too.
public enum ETFTraining: String, Codable, Sendable, CaseIterable {
    /// `head.etf` is a fixed buffer, never updated (the paper; FedNC's default).
    case fixed
    /// `head.etf` is trained: its gradient is the sum of the classifier path (`s dz^T f`), the attention-query
    /// path (fixed queries) and the contrastive loss's prototype path; one AdamW update per step, weight decay per
    /// the run's `--weight-decay-rule`.
    case trainable
    /// The authors' fault, reproduced (needs LADM with fixed queries): their ETF is registered twice, as the
    /// classifier's weight and as the attention's `class_embeddings`, two `nn.Parameter` objects sharing one
    /// storage. In `--optimizer_mode full` AdamW (torch's single-tensor path on CPU) updates the storage twice per
    /// step: first with the classifier and contrastive gradients and the first moment set, then with the
    /// attention-query gradient and a second moment set, each update decaying the weight. The second registration
    /// is the state entry `head.etf_queries` (always equal to `head.etf`, tied to it in the optimiser, see
    /// `ParameterSet.Entry.storageOwner`).
    case authorsDoubleUpdate = "authors-double-update"
}
