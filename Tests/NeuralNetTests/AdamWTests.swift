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

    @Test("the eight-lane update gives every element exactly the scalar formula's value")
    func laneUpdateMatchesScalar() {
        let count = 21  // two full lanes and a tail of five
        var p = (0..<count).map { Float($0) * 0.37 - 3 }, m = (0..<count).map { Float($0 % 5) * 0.01 - 0.02 }
        var v = (0..<count).map { Float($0 % 7) * 0.003 }
        let g = (0..<count).map { Float(($0 * 7919) % 23) * 0.05 - 0.5 }
        let c = AdamW.UpdateConstants(decay: 0.999, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, stepSize: 1e-3 / 0.19,
                                      biasCorrection2Root: (1 - Float(0.98) * 0.98).squareRoot())
        var expected = p, expectedM = m, expectedV = v
        for i in 0..<count {
            var value = expected[i] * c.decay
            let mNew = expectedM[i] + (g[i] - expectedM[i]) * (1 - c.beta1)
            let vNew = expectedV[i] * c.beta2 + (1 - c.beta2) * g[i] * g[i]
            expectedM[i] = mNew
            expectedV[i] = vNew
            value -= c.stepSize * (mNew / (vNew.squareRoot() / c.biasCorrection2Root + c.epsilon))
            expected[i] = value
        }
        g.withUnsafeBufferPointer { gradient in
            p.withUnsafeMutableBufferPointer { parameter in
                m.withUnsafeMutableBufferPointer { first in
                    v.withUnsafeMutableBufferPointer { second in
                        AdamW.update(0..<count, p: parameter.baseAddress!, g: gradient.baseAddress!,
                                     m: first.baseAddress!, v: second.baseAddress!, c)
                    }
                }
            }
        }
        #expect(p == expected && m == expectedM && v == expectedV)
    }
}
