import NeuralNet

/// `--profile`: which reading of FedNCAlign-ML's protocol a run follows (issue 18).
public enum ProtocolProfile: String, Codable, Sendable, CaseIterable {
    /// The paper's text (FedNC's default).
    case paper
    /// What the authors' code (AnonymousSubmit111/FedNCAlign-ML, CanPeng123/multi_label_fl_fednca) does.
    case authorsCode = "authors-code"
}

/// How macro-AUC treats a class whose split holds only one label value (`--auc-convention`).
public enum AUCConvention: String, Codable, Sendable, CaseIterable {
    /// Left out of the mean (the paper's reading; scikit-learn would refuse the class).
    case skipUndefined = "skip-undefined"
    /// Counted as 0 in the mean over all K classes (the authors' code).
    case undefinedAsZero = "undefined-as-zero"
}

/// The protocol points where the paper and the authors' code differ, resolved from `--profile` and the
/// per-point options (each wins when given); recorded in run.json as `protocol`.
///
/// | point | paper | authors-code |
/// |---|---|---|
/// | learning-rate schedule | constant | warm-up/linear, rebuilt per round, sized by 15 nominal epochs |
/// | weight decay | rank >= 2 | every trainable entry except biases |
/// | aggregation weights | sample counts | equal |
/// | macro-AUC | skip undefined classes | undefined classes count 0 |
/// Two points change the architecture's state, so run.json records them in `modelConfiguration`, not here: the mlp
/// head's hidden size (paper 1024, authors-code 2 d, `--mlp-hidden`: `mlpHiddenFeatures`) and the ETF training
/// (paper `fixed`, authors-code `authors-untied` with fixed LADM queries, `--etf-training`: `etfTraining`). The
/// latter reproduces a fault of the authors' code (docs/trainer.md, "Trainable ETF"): each client trains the
/// classifier ETF and the queries as two tensors (their per-client deep copy unshares the two registrations), and
/// aggregation keeps the averaged queries as the ETF, dropping what the classifier ETF learned.
public struct ProtocolSettings: Codable, Sendable, Equatable {
    public var profile: ProtocolProfile
    public var learningRateSchedule: LearningRateSchedule
    public var weightDecayRule: WeightDecayRule
    public var equalWeights: Bool
    public var aucConvention: AUCConvention

    public init(profile: ProtocolProfile, learningRateSchedule: LearningRateSchedule? = nil,
                weightDecayRule: WeightDecayRule? = nil, equalWeights: Bool? = nil,
                aucConvention: AUCConvention? = nil) {
        let authors = profile == .authorsCode
        self.profile = profile
        self.learningRateSchedule = learningRateSchedule ?? LearningRateSchedule(kind: authors ? .warmupLinear : .constant)
        self.weightDecayRule = weightDecayRule ?? (authors ? .allButBiases : .rankAtLeastTwo)
        self.equalWeights = equalWeights ?? authors
        self.aucConvention = aucConvention ?? (authors ? .undefinedAsZero : .skipUndefined)
    }

    /// The paper's protocol (also what a run.json without `protocol` means).
    public static let paper = ProtocolSettings(profile: .paper)
}
