import NeuralNet

/// The server's resumable state after some rounds (the checkpoint). Every random draw is derived from the seed and the
/// round/client/epoch it belongs to, so no generator positions need saving.
public struct RunSnapshot: Sendable, Equatable {
    /// Rounds done (0 before the first).
    public var completedRounds: Int = 0
    /// The global model after `completedRounds`.
    public var globalState: ParameterSet
    /// The round with the best validation macro-AUC so far (0: none yet).
    public var bestRound: Int = 0
    /// The global model after `bestRound`.
    public var bestState: ParameterSet
    /// One record per completed round.
    public var history: [RoundRecord] = []

    public init(globalState: ParameterSet) {
        self.globalState = globalState
        self.bestState = globalState
    }

    public init(completedRounds: Int, globalState: ParameterSet, bestRound: Int, bestState: ParameterSet,
                history: [RoundRecord]) {
        self.completedRounds = completedRounds
        self.globalState = globalState
        self.bestRound = bestRound
        self.bestState = bestState
        self.history = history
    }

    /// The best round's validation metrics, if any round is done.
    public var bestValidation: MultiLabelMetrics? {
        history.first { $0.round == bestRound }?.validation
    }

    /// Appends a finished round; it becomes the best when its validation macro-AUC is strictly higher
    /// (an undefined macro-AUC never wins over a defined one; the first round is kept if none is defined).
    mutating func record(_ record: RoundRecord, state: ParameterSet) {
        completedRounds = record.round
        globalState = state
        history.append(record)
        let candidate = record.validation.macroAUC ?? -.infinity
        if let best = bestValidation, candidate <= best.macroAUC ?? -.infinity { return }
        bestRound = record.round
        bestState = state
    }
}
