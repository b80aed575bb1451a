/// The classification head on top of the ResNet-18 backbone (trainer.md, "Heads").
public enum HeadKind: String, Codable, Sendable, CaseIterable {
    /// Global average pool -> Linear(d, 1024) -> LayerNorm -> GELU -> Linear(1024, K) (baselines).
    case mlp
    /// Fixed simplex ETF classifier with the LADM attention head (FedNCAlign-ML).
    case ladmETF = "ladm-etf"
    /// L2-normalised pooled feature against a fixed orthonormal classifier, cosine logits times a scale (SphereFed).
    case sphere
}

/// Where the LADM attention's queries come from (ablation of the paper's Tables 6/8).
public enum QueryMode: String, Codable, Sendable, CaseIterable {
    /// The ETF rows themselves, never trained (default).
    case fixed
    /// Initialised to the ETF rows, then trained (`head.queries`, with weight decay).
    case learnable
    /// Seeded Gaussian rows scaled to unit norm, never trained (`head.queries`).
    case random
}

/// The first layers of the backbone.
public enum StemKind: String, Codable, Sendable, CaseIterable {
    /// torchvision's stem: 7x7 stride-2 convolution, batch norm, ReLU, 3x3 stride-2 max pool (downsamples by 4).
    case imagenet
    /// For small inputs: 3x3 stride-1 convolution, batch norm, ReLU, no max pool.
    case cifar
}

/// The ladm-etf head's logit scale `s` in `z[k, j] = s <w_j, f_k> + b_j` (docs/trainer.md, issue 17).
public enum LogitScale: String, Codable, Sendable, CaseIterable {
    /// `s = 1`, not trained: the authors' code (an `nn.Linear` holding the ETF, plus its bias). Default: with
    /// `.learnable`'s s = 10 on unnormalised features, AdamW's per-coordinate steps move every logit 10 times as far
    /// per round, and the global model swings from round to round (measured in docs/trainer.md).
    case fixed
    /// `s` learnable, initialised to 10, no weight decay: the paper's text.
    case learnable
}

/// Everything that fixes the model's architecture. Defaults follow the paper, except `logitScale` (see there).
public struct ModelConfiguration: Codable, Sendable, Equatable {
    /// Number of classes K (at least 2; the ETF needs K <= d).
    public var classCount: Int
    /// The classification head.
    public var head: HeadKind
    /// The backbone's stem.
    public var stem: StemKind
    /// Channel multiplier: stage widths are `round(64/128/256/512 * widthMultiplier)` (at least 4);
    /// d = the last stage's width. Default 1.0 (torchvision's ResNet-18). The ladm-etf head needs d divisible by
    /// its 4 attention heads and d >= classCount (e.g. 0.0625, 0.125, 0.25, 0.5, 1).
    public var widthMultiplier: Double
    /// Images are resized (bilinear) to `inputSize x inputSize` pixels before the backbone. Default 224.
    public var inputSize: Int
    /// LADM query source (ladm-etf head only). Default `.fixed`.
    public var queries: QueryMode
    /// `false` = the `--no-ladm` ablation: ETF logits on the pooled feature (ladm-etf head only). Default true.
    public var useLADM: Bool
    /// Cosine-logit scale of the sphere head. Default 10.
    public var sphereScale: Float
    /// The ladm-etf head's logit scale `s`. Default `.fixed` (s = 1, the authors' code); `.learnable` is the
    /// paper's text (init 10). A configuration decoded without this key (run folders written before it existed)
    /// gets `.learnable`, which is what those runs trained with.
    public var logitScale: LogitScale
    /// Hidden units of the mlp head (`head.0` Linear(d, H) -> LayerNorm(H) -> GELU -> `head.3` Linear(H, K)).
    /// Default 1024 (the paper's); the authors' code uses 2 d (`--mlp-hidden`, `--profile authors-code`), equal at
    /// `--width 1`. A configuration decoded without this key gets 1024.
    public var mlpHiddenFeatures: Int
    /// Whether the ladm-etf head trains `head.etf` (and, with fixed LADM queries, the queries, which are its rows;
    /// ladm-etf head only). Default `.fixed`; the `authors*` modes add the entry `head.etf_queries` and need LADM
    /// with fixed queries (`--etf-training`, `--profile authors-code`). A configuration decoded without this key
    /// gets `.fixed`.
    public var etfTraining: ETFTraining

    public init(classCount: Int, head: HeadKind, stem: StemKind = .imagenet, widthMultiplier: Double = 1.0,
                inputSize: Int = 224, queries: QueryMode = .fixed, useLADM: Bool = true, sphereScale: Float = 10,
                logitScale: LogitScale = .fixed, mlpHiddenFeatures: Int = 1024,
                etfTraining: ETFTraining = .fixed) {
        self.classCount = classCount
        self.head = head
        self.stem = stem
        self.widthMultiplier = widthMultiplier
        self.inputSize = inputSize
        self.queries = queries
        self.useLADM = useLADM
        self.sphereScale = sphereScale
        self.logitScale = logitScale
        self.mlpHiddenFeatures = mlpHiddenFeatures
        self.etfTraining = etfTraining
    }

    private enum CodingKeys: String, CodingKey {
        case classCount, head, stem, widthMultiplier, inputSize, queries, useLADM, sphereScale, logitScale, mlpHiddenFeatures
        case etfTraining
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(classCount: try container.decode(Int.self, forKey: .classCount),
                  head: try container.decode(HeadKind.self, forKey: .head),
                  stem: try container.decode(StemKind.self, forKey: .stem),
                  widthMultiplier: try container.decode(Double.self, forKey: .widthMultiplier),
                  inputSize: try container.decode(Int.self, forKey: .inputSize),
                  queries: try container.decode(QueryMode.self, forKey: .queries),
                  useLADM: try container.decode(Bool.self, forKey: .useLADM),
                  sphereScale: try container.decode(Float.self, forKey: .sphereScale),
                  logitScale: try container.decodeIfPresent(LogitScale.self, forKey: .logitScale) ?? .learnable,
                  mlpHiddenFeatures: try container.decodeIfPresent(Int.self, forKey: .mlpHiddenFeatures) ?? 1024,
                  etfTraining: try container.decodeIfPresent(ETFTraining.self, forKey: .etfTraining) ?? .fixed)
    }

    /// Channels of the four stages: 64/128/256/512 times `widthMultiplier`, rounded, at least 4.
    public var stageWidths: [Int] {
        [64, 128, 256, 512].map { max(4, Int((Double($0) * widthMultiplier).rounded())) }
    }

    /// Feature dimension d (channels of layer4).
    public var featureDimension: Int { stageWidths[3] }

    /// Why `etfTraining` cannot apply to this ladm-etf architecture, or nil when it can: the `authors*` modes
    /// need LADM with fixed queries (the queries are the ETF's rows). Other heads ignore `etfTraining`.
    public var etfTrainingProblem: String? {
        guard head == .ladmETF, etfTraining.queryTie != nil, !useLADM || queries != .fixed else { return nil }
        return "ETF training '\(etfTraining.rawValue)' needs LADM with fixed queries (the queries are the ETF's "
            + "rows); use 'trainable' with --no-ladm or with learnable/random queries"
    }
}
