/// One line of `rounds.jsonl`: what happened in one communication round.
public struct RoundRecord: Codable, Sendable, Equatable {
    /// One participant's local training.
    public struct ClientRecord: Codable, Sendable, Equatable {
        public var client: Int
        public var sampleCount: Int
        public var localSteps: Int
        /// Mean training loss over the local steps.
        public var meanLoss: Double
    }

    /// 1-based round number.
    public var round: Int
    public var clients: [ClientRecord]
    /// Metrics of the aggregated model on the validation split.
    public var validation: MultiLabelMetrics
    /// Wall-clock seconds for local training, aggregation and validation.
    public var seconds: Double
}
