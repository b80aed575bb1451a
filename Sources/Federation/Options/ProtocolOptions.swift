import ArgumentParser
import NeuralNet

/// `--profile paper|authors-code` and the per-point options it sets (each wins when given); pulled into
/// `fednc-train train` and `server start` through `RunOptions`.
public struct ProtocolOptions: ParsableArguments {
    @Option(help: ArgumentHelp("paper (default) | authors-code: sets the schedule, weight-decay rule, aggregation "
                               + "weights, macro-AUC convention, mlp hidden size and ETF training as the authors' "
                               + "code behaves (docs/trainer.md)."))
    public var profile: ProtocolProfile = .paper
    @Option(help: "constant | warmup-linear (default: from --profile).")
    public var lrSchedule: LearningRateSchedule.Kind?
    @Option(help: "warmup-linear only: the authors' --num_epochs that sizes the schedule (default 15).")
    public var scheduleEpochs: Int = 15
    @Option(help: "rank-at-least-2 | all-but-biases (default: from --profile).")
    public var weightDecayRule: WeightDecayRule?
    @Option(help: "samples | equal (default: from --profile; --equal-weights means equal).")
    public var aggregationWeights: AggregationWeights?
    @Option(help: "skip-undefined | undefined-as-zero (default: from --profile); report.md shows both when they differ.")
    public var aucConvention: AUCConvention?
    @Option(help: "Hidden units of the mlp head (default: from --profile: 1024 for paper, 2 x the feature width for authors-code).")
    public var mlpHidden: Int?
    @Option(help: ArgumentHelp(
        "fixed | trainable | authors-untied | authors-double-update: whether the ladm-etf head trains its ETF (and "
            + "the fixed LADM queries, which are its rows). authors-untied is the authors' code: clients train the "
            + "classifier ETF and the queries as two tensors, aggregation keeps the averaged queries as the ETF; "
            + "authors-double-update is issue 18's fault (two AdamW updates of one shared tensor per step), which "
            + "their pipeline never runs (docs/trainer.md). Default: from --profile: fixed for paper; for "
            + "authors-code authors-untied with fixed LADM queries, trainable otherwise.",
        valueName: "mode"))
    public var etfTraining: ETFTraining?

    /// The mlp head's hidden units for a backbone of feature width `featureDimension`: `--mlp-hidden`, else the
    /// profile's (paper 1024, authors-code 2 d).
    public func mlpHiddenFeatures(featureDimension: Int) -> Int {
        mlpHidden ?? (profile == .authorsCode ? 2 * featureDimension : 1024)
    }

    /// The ETF training of a model with architecture `model` (its `etfTraining` is ignored): `--etf-training`,
    /// else the profile's (paper `fixed`; authors-code `authors-untied` when LADM's queries are the fixed ETF,
    /// `trainable` with other queries or without LADM). Models without the ladm-etf head get `fixed`; an explicit
    /// mode they or their queries cannot take is an error.
    public func etfTraining(for model: ModelConfiguration) throws -> ETFTraining {
        guard model.head == .ladmETF else {
            if let etfTraining, etfTraining != .fixed {
                throw ValidationError("--etf-training \(etfTraining.rawValue) needs the ladm-etf head "
                                      + "(--method fedncalign); this method's head is '\(model.head.rawValue)'")
            }
            return .fixed
        }
        let queriesAreETF = model.useLADM && model.queries == .fixed
        let resolved = etfTraining
            ?? (profile == .authorsCode ? (queriesAreETF ? .authorsUntied : .trainable) : .fixed)
        var candidate = model
        candidate.etfTraining = resolved
        if let problem = candidate.etfTrainingProblem { throw ValidationError("--etf-training: \(problem)") }
        return resolved
    }

    public enum AggregationWeights: String, CaseIterable, ExpressibleByArgument { case samples, equal }

    public init() {}

    public func validate() throws {
        guard scheduleEpochs >= 1 else { throw ValidationError("--schedule-epochs must be at least 1") }
        if let mlpHidden, mlpHidden < 1 { throw ValidationError("--mlp-hidden must be at least 1, got \(mlpHidden)") }
    }

    /// The resolved settings; `equalWeightsFlag` is `--equal-weights`.
    public func settings(equalWeightsFlag: Bool) throws -> ProtocolSettings {
        if equalWeightsFlag, aggregationWeights == .samples {
            throw ValidationError("--equal-weights contradicts --aggregation-weights samples; give one of them")
        }
        let base = ProtocolSettings(profile: profile)
        let schedule = LearningRateSchedule(kind: lrSchedule ?? base.learningRateSchedule.kind,
                                            nominalEpochs: scheduleEpochs)
        let equal = equalWeightsFlag ? true : aggregationWeights.map { $0 == .equal }
        return ProtocolSettings(profile: profile, learningRateSchedule: schedule, weightDecayRule: weightDecayRule,
                                equalWeights: equal, aucConvention: aucConvention)
    }
}

extension ProtocolProfile: ExpressibleByArgument {}
extension AUCConvention: ExpressibleByArgument {}
extension WeightDecayRule: ExpressibleByArgument {}
extension ETFTraining: ExpressibleByArgument {}
extension LearningRateSchedule.Kind: ExpressibleByArgument {}
