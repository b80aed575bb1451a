import NeuralNet
import SeededRandom
import Testing

/// The pieces of `--profile authors-code` that live in NeuralNet: the warm-up/linear schedule, the weight-decay
/// rule, and FedLGT's label-mask sampling.
@Suite("NeuralNet protocol options")
struct ProtocolOptionTests {
    @Test("warmup-linear equals transformers' polynomial schedule (power 1, lr_end 0), rebuilt per round")
    func warmupLinear() {
        let schedule = LearningRateSchedule(kind: .warmupLinear)
        // 10 batches per epoch, 15 nominal epochs: 150 steps, int(15.0) = 15 warm-up steps.
        let expected: [(Int, Float)] = [(0, 0), (1, 1.0 / 15), (9, 9.0 / 15), (15, 1), (16, 1 - 1.0 / 135),
                                        (82, 1 - 67.0 / 135), (150, 0), (151, 0)]
        for (step, factor) in expected {
            #expect(abs(schedule.multiplier(step: step, batchesPerEpoch: 10) - factor) < 1e-6, "step \(step)")
        }
        // One local epoch of 7 batches: int(10.5) = 10 warm-up steps; the round never leaves the warm-up.
        let round = (0..<7).map { schedule.multiplier(step: $0, batchesPerEpoch: 7) }
        #expect(round == (0..<7).map { Float(Double($0) / 10) })
        #expect(LearningRateSchedule.constant.multiplier(step: 3, batchesPerEpoch: 7) == 1)
    }

    @Test("Weight-decay rules: rank >= 2 (paper) vs all but biases (authors' code); buffers never")
    func weightDecayRules() {
        let set = ParameterSet(layout: [("conv1.weight", [4, 3, 3, 3], true), ("bn1.weight", [4], true),
                                        ("bn1.bias", [4], true), ("bn1.running_mean", [4], false),
                                        ("head.scale", [1], true), ("head.attention.in_proj_bias", [12], true)])
        #expect(set.entries.map(WeightDecayRule.rankAtLeastTwo.decays) == [true, false, false, false, false, false])
        #expect(set.entries.map(WeightDecayRule.allButBiases.decays) == [true, true, false, false, true, false])
        var parameters = set
        parameters.values = [Float](repeating: 1, count: set.count)
        var optimizer = AdamW(learningRate: 0.1, weightDecay: 0.5)
        optimizer.weightDecayRule = .allButBiases
        optimizer.step(&parameters, gradients: .zeros(like: set))
        #expect(parameters.values(of: "bn1.weight") == [Float](repeating: 0.95, count: 4))
        #expect(parameters.values(of: "head.scale") == [0.95])
        #expect(parameters.values(of: "bn1.bias") == [Float](repeating: 1, count: 4))
        #expect(parameters.values(of: "bn1.running_mean") == [Float](repeating: 1, count: 4))
    }

    @Test("Label masks: up to 0.75 K revealed with true states; uncertain global scores never revealed")
    func labelMasks() {
        var random = Xoshiro256StarStar(seed: 3, stream: "masks")
        let labels: [Float] = [1, 0, 1, 0, 0, 1, 0, 0]
        var revealedCounts = Set<Int>()
        for _ in 0..<2_000 {
            let states = LabelMaskSampler.states(labels: labels, globalProbabilities: nil, random: &random)
            let revealed = states.indices.filter { states[$0] != .unknown }
            revealedCounts.insert(revealed.count)
            #expect(revealed.allSatisfy { states[$0] == (labels[$0] > 0.5 ? .positive : .negative) })
        }
        #expect(revealedCounts == Set(0...6), "0...Int(0.75 * 8) labels revealed")
        let global: [Float] = [0.5, 0.9, 0.48, 0.1, 0.52, 0.47, 0.53, 0.2]
        for _ in 0..<500 {
            let states = LabelMaskSampler.states(labels: labels, globalProbabilities: global, random: &random)
            #expect(states[0] == .unknown && states[2] == .unknown && states[4] == .unknown)
        }
        var first = Xoshiro256StarStar(seed: 9)
        var second = Xoshiro256StarStar(seed: 9)
        #expect(LabelMaskSampler.states(labels: labels, globalProbabilities: nil, random: &first)
            == LabelMaskSampler.states(labels: labels, globalProbabilities: nil, random: &second))
    }
}
