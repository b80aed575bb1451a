import SeededRandom
import TensorEngine

/// FedNCAlign-ML's head: a simplex ETF `W` (`head.etf`, `[K, d]`; fixed unless `ETFTraining` says otherwise) with a
/// logit scale `s` (`head.scale`: a buffer fixed at 1 with `LogitScale.fixed`, the default; learnable from 10 with
/// `.learnable`, the paper's text) and a learnable per-class bias `b` (`head.bias`, init 0).
///
/// With LADM (default), one 4-head attention (`head.attention.*`) lets the K queries (ETF rows, or `head.queries`)
/// attend over the layer4 tokens, giving per-class features `f_k` `[K, d]`; `z[k, j] = s <w_j, f_k> + b_j` and the
/// prediction for class k is `z[k, k]`. Without LADM (ablation) `z_k = s <w_k, g> + b_k` on the pooled feature g.
/// With the `ETFTraining.authors*` modes the fixed queries are read from `head.etf_queries`, the ETF's second
/// registration (tied to `head.etf`), which collects the query-path gradient.
final class ETFHead: ClassifierHead {
    /// The name of the ETF's second registration under the `ETFTraining.authors*` modes.
    static let queryAliasName = "head.etf_queries"
    static let attentionHeads = 4
    let classes: Int
    let dimension: Int
    let queryMode: QueryMode
    let etfTraining: ETFTraining
    let etf: Int
    let queries: Int?
    let attention: MultiheadAttention?
    let scale: Int
    let logitScale: LogitScale
    let bias: Int
    private var cache: (height: Int, width: Int, projections: Tensor, features: [Float])?

    init(_ builder: inout LayoutBuilder, classes: Int, dimension: Int, queryMode: QueryMode, useLADM: Bool,
         logitScale: LogitScale, etfTraining: ETFTraining) {
        precondition(etfTraining.queryTie == nil || (useLADM && queryMode == .fixed),
                     "ETFTraining.\(etfTraining) needs LADM with fixed queries")
        self.classes = classes
        self.dimension = dimension
        self.queryMode = queryMode
        self.etfTraining = etfTraining
        etf = builder.add("head.etf", [classes, dimension], trainable: etfTraining != .fixed)
        if useLADM {
            switch queryMode {
            case .fixed where etfTraining.queryTie != nil:
                queries = builder.add(Self.queryAliasName, [classes, dimension])
            case .fixed: queries = nil
            default: queries = builder.add("head.queries", [classes, dimension], trainable: queryMode == .learnable)
            }
            attention = MultiheadAttention(&builder, name: "head.attention", dimension: dimension,
                                           heads: Self.attentionHeads)
        } else {
            queries = nil
            attention = nil
        }
        self.logitScale = logitScale
        scale = builder.add("head.scale", [1], trainable: logitScale == .learnable)
        bias = builder.add("head.bias", [classes])
    }

    func initialize(_ values: UnsafeMutablePointer<Float>, random: inout Xoshiro256StarStar) {
        let frame = FixedClassifier.simplexETF(classes: classes, dimension: dimension)
        for index in frame.indices { values[etf + index] = frame[index] }
        if let queries {
            let rows = queryMode == .random
                ? FixedClassifier.randomUnitRows(classes: classes, dimension: dimension, random: &random) : frame
            for index in rows.indices { values[queries + index] = rows[index] }
        }
        attention?.initialize(values, random: &random)
        values[scale] = logitScale == .learnable ? 10 : 1
        for index in 0..<classes { values[bias + index] = 0 }
    }

    /// The `[K, d]` matrix at `offset` in the state (the ETF or the queries).
    private func matrix(_ state: StateAccess, at offset: Int) -> Tensor {
        state.tensor(at: offset, shape: [classes, dimension])
    }

    func forward(_ featureMap: FeatureMap, _ state: StateAccess, training: Bool) -> HeadScores {
        let (batch, classes, d) = (featureMap.batch, classes, dimension)
        let backend = state.backend
        let frame = matrix(state, at: etf)
        let features: [Float]
        let rows: Int
        if let attention {
            let queryRows = backend.download(matrix(state, at: queries ?? etf))
            features = attention.forward(queries: queryRows, tokens: Tokens.fromFeatureMap(featureMap, backend),
                                         batch: batch, tokenCount: featureMap.spatial, state, cache: training)
            rows = batch * classes
        } else {
            features = GlobalAveragePool.forward(featureMap, backend)
            rows = batch
        }
        let projections = backend.matmul(backend.tensor(shape: [rows, d], values: features), frame,
                                         transposeA: false, transposeB: true, alpha: 1, parallel: false)
        // z = s * projections + b, per row.
        let scores = backend.scaleAddRowVector(projections, scale: state.tensor(at: scale, shape: [1]),
                                               vector: state.tensor(at: bias, shape: [classes]))
        cache = training ? (featureMap.height, featureMap.width, projections, features) : nil
        var result = HeadScores(batch: batch, classes: classes, columns: attention == nil ? 1 : classes,
                                scores: backend.download(scores), features: features,
                                featureRows: attention == nil ? 1 : classes, featureDimension: d,
                                prototypes: backend.download(frame))
        result.prototypesAreTrainable = etfTraining != .fixed
        return result
    }

    /// True when the attention's query gradient is accumulated: learnable queries, the trainable ETF as fixed
    /// queries, or the ETF's second registration.
    private var queriesAreTrainable: Bool {
        queryMode == .learnable || (queryMode == .fixed && etfTraining != .fixed)
    }

    func backward(scoreGradient: [Float], featureGradient: [Float]?, prototypeGradient: [Float]?,
                  _ state: StateAccess) -> FeatureMap {
        guard let cache else { preconditionFailure("ETFHead.backward before a train forward") }
        let (classes, d) = (classes, dimension)
        let rows = scoreGradient.count / classes
        let backend = state.backend
        let scoreTensor = backend.tensor(shape: [rows, classes], values: scoreGradient)
        if logitScale == .learnable {
            // ds = sum dz * projections.
            state.accumulateGradient(backend.dot(scoreTensor, cache.projections), at: scale)
        }
        state.accumulateGradient(backend.columnSums(scoreTensor), at: bias)
        if etfTraining != .fixed {
            // Classifier path: dW = s dz^T f `[K, d]`, plus the contrastive loss's gradient w.r.t. the prototypes.
            var frameGradient = prototypeGradient.map { backend.tensor(shape: [classes, d], values: $0) }
                ?? backend.zeros([classes, d])
            backend.matmul(scoreTensor, backend.tensor(shape: [rows, d], values: cache.features),
                           into: &frameGradient, transposeA: true, transposeB: false, alpha: state.values[scale],
                           accumulate: true, parallel: false)
            state.accumulateGradient(frameGradient, at: etf)
        }
        // d features = s * dz W (+ the contrastive loss's direct feature gradient).
        var featureTensor = featureGradient.map { backend.tensor(shape: [rows, d], values: $0) }
            ?? backend.zeros([rows, d])
        backend.matmul(scoreTensor, matrix(state, at: etf), into: &featureTensor, transposeA: false,
                       transposeB: false, alpha: state.values[scale], accumulate: true, parallel: false)
        let gradient = backend.download(featureTensor)
        self.cache = nil
        guard let attention else {
            return GlobalAveragePool.backward(gradient, batch: rows, channels: d, height: cache.height,
                                              width: cache.width, backend)
        }
        let batch = rows / classes
        let (queryGradient, tokenGradient) = attention.backward(gradient, state)
        if queriesAreTrainable {
            state.accumulateGradient(backend.tensor(shape: [classes, d], values: queryGradient), at: queries ?? etf)
        }
        return Tokens.toFeatureMap(tokenGradient, batch: batch, channels: d, height: cache.height, width: cache.width,
                                   backend)
    }
}
