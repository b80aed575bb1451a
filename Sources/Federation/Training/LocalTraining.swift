import NeuralNet
import SeededRandom

/// One client's local training: `epochs` passes over its shuffled data in mini-batches, a fresh optimiser,
/// the method's gradient term at every step.
///
/// The shuffle of epoch `e` in round `r` for client `c` comes from stream `shuffle/<r>/<c>/<e>` of the run's
/// seed, so a resumed run draws exactly what an uninterrupted one does.
public struct LocalTraining {
    /// Progress of one local step, for a terminal display.
    public struct Step: Sendable {
        public var round: Int
        public var client: Int
        public var step: Int
        public var stepsPerEpoch: Int
        public var epoch: Int
        public var loss: Float
    }

    public let settings: TrainingSettings

    public init(settings: TrainingSettings) {
        self.settings = settings
    }

    /// Batches of one epoch over `sampleCount` samples: shuffled indices cut into `batchSize` pieces, a trailing
    /// single sample dropped.
    public func batches(sampleCount: Int, round: Int, client: Int, epoch: Int) -> [ArraySlice<Int>] {
        var order = Array(0..<sampleCount)
        var generator = Xoshiro256StarStar(seed: settings.seed, stream: "shuffle/\(round)/\(client)/\(epoch)")
        generator.shuffle(&order)
        return stride(from: 0, to: sampleCount, by: settings.batchSize).compactMap { start in
            let end = min(start + settings.batchSize, sampleCount)
            return end - start >= 2 || sampleCount == 1 ? order[start..<end] : nil
        }
    }

    /// Trains `model` (already holding `context.global`) on `data` in `round`; returns the outcome with the
    /// local state.
    public func run<Model: FederatedModel>(
        model: inout Model, data: LabeledImages, round: Int, context: ClientContext, method: any FederatedMethod,
        optimizer makeOptimizer: () -> any ParameterOptimizer, progress: (Step) -> Void = { _ in }
    ) -> LocalOutcome {
        let client = context.client
        var optimizer = makeOptimizer()
        var squaredGradientSum: ParameterSet? = method.needsSquaredGradients ? .zeros(like: context.global) : nil
        var steps = 0
        var lossSum = 0.0
        for epoch in 0..<settings.localEpochs {
            let epochBatches = batches(sampleCount: data.count, round: round, client: client, epoch: epoch)
            for (index, batchIndices) in epochBatches.enumerated() {
                let (images, labels) = data.batch(batchIndices)
                var (loss, gradients) = model.lossAndGradients(images: images, labels: labels)
                if var sum = squaredGradientSum.take() {
                    accumulateSquares(gradients, into: &sum)
                    squaredGradientSum = sum
                }
                method.adjustLocalGradients(&gradients, parameters: model.state, context: context)
                optimizer.step(&model.state, gradients: gradients)
                steps += 1
                lossSum += Double(loss)
                progress(Step(round: round, client: client, step: index + 1, stepsPerEpoch: epochBatches.count,
                              epoch: epoch + 1, loss: loss))
            }
        }
        if steps > 0, var sum = squaredGradientSum.take() {
            sum.scale(by: 1 / Float(steps))
            squaredGradientSum = sum
        }
        return LocalOutcome(parameters: model.state, sampleCount: data.count, localSteps: steps,
                            meanLoss: steps > 0 ? lossSum / Double(steps) : 0, squaredGradientMean: squaredGradientSum)
    }

    private func accumulateSquares(_ gradients: ParameterSet, into sum: inout ParameterSet) {
        gradients.values.withUnsafeBufferPointer { source in
            sum.values.withUnsafeMutableBufferPointer { target in
                for entry in gradients.entries where entry.isTrainable {
                    for index in entry.range { target[index] += source[index] * source[index] }
                }
            }
        }
    }
}
