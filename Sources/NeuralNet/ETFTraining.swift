/// Whether the ladm-etf head trains its simplex ETF `head.etf` (`--etf-training`, issue 18 point 1).
///
/// With LADM and `QueryMode.fixed` the ETF rows are also the attention's queries, so training the ETF trains the
/// queries too. The two `authors*` modes model the authors' code (FedNCAlign-ML, `--optimizer_mode full`), whose
/// ETF is registered twice: as the classifier's weight and as the attention's `class_embeddings`, two
/// `nn.Parameter` objects over one storage. They need LADM with fixed queries and add the entry
/// `head.etf_queries` (the second registration: the queries, and the query-path gradient), tied to `head.etf`.
public enum ETFTraining: String, Codable, Sendable, CaseIterable {
    /// `head.etf` is a fixed buffer, never updated (the paper; FedNC's default).
    case fixed
    /// `head.etf` is trained: its gradient is the sum of the classifier path (`s dz^T f`), the attention-query
    /// path (fixed queries) and the contrastive loss's prototype path; one AdamW update per step, weight decay per
    /// the run's `--weight-decay-rule`.
    case trainable
    /// What the authors' federated training does (`fednca_train.py`): every client trains a `copy.deepcopy` of the
    /// global model, and deep-copying clones each Parameter, so on the client the classifier ETF (`head.etf`:
    /// classifier and contrastive gradients) and the queries (`head.etf_queries`: attention gradient) are two
    /// separate tensors with one AdamW update each per step. Their server model still shares the storage, and
    /// `aggregation/fedavg.py` writes the ETF's average (equal weights) and then the queries' average into it, so
    /// the global ETF becomes the clients' averaged queries: the classifier's own training is dropped each round.
    case authorsUntied = "authors-untied"
    /// The fault issue 18 describes, as PyTorch runs it on a model whose two registrations still share storage (the
    /// authors' pipelines never train such a model: both deep-copy it first): each step AdamW (the single-tensor
    /// path, torch's default on CPU) updates the storage twice, first with the classifier and contrastive gradients
    /// and the first moment set, then with the query gradient and a second moment set, decaying it each time.
    case authorsDoubleUpdate = "authors-double-update"

    /// How `head.etf_queries` is tied to `head.etf`, or nil when the mode has no second registration.
    var queryTie: ParameterTie.Timing? {
        switch self {
        case .fixed, .trainable: nil
        case .authorsUntied: .atAggregation
        case .authorsDoubleUpdate: .everyStep
        }
    }
}
