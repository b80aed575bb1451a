import NeuralNet
import Testing

@Suite("NeuralNet AdamW")
struct AdamWTests {
    @Test("Three steps match torch.optim.AdamW; buffers untouched")
    func matchesPyTorch() throws {
        let file = try Fixtures.open("adamw.safetensors")
        var parameters = ParameterSet(layout: [("weight", [4, 3], true), ("bias", [3], true),
                                               ("running_mean", [2], false)])
        parameters.setValues(of: "weight", to: try file.floats("initial/weight"))
        parameters.setValues(of: "bias", to: try file.floats("initial/bias"))
        parameters.setValues(of: "running_mean", to: [0.5, -0.5])
        var optimizer = AdamW(learningRate: 1e-3)
        for step in 0..<3 {
            var gradients = ParameterSet.zeros(like: parameters)
            gradients.setValues(of: "weight", to: try file.floats("grad\(step)/weight"))
            gradients.setValues(of: "bias", to: try file.floats("grad\(step)/bias"))
            gradients.setValues(of: "running_mean", to: [1, 1])
            optimizer.step(&parameters, gradients: gradients)
            #expect(relativeError(parameters.values(of: "weight"), try file.floats("after\(step)/weight")) < 1e-6)
            #expect(relativeError(parameters.values(of: "bias"), try file.floats("after\(step)/bias")) < 1e-6)
        }
        #expect(parameters.values(of: "running_mean") == [0.5, -0.5])
        #expect(optimizer.stepCount == 3)
    }

    @Test("Weight decay applies to rank >= 2 trainable entries only")
    func decayRule() {
        let set = ParameterSet(layout: [("w", [2, 2], true), ("b", [2], true), ("s", [1], true), ("etf", [2, 2], false)])
        #expect(set.entries.map(AdamW.appliesWeightDecay) == [true, false, false, false])
    }
}
