import Foundation
import Testing
@_spi(HostStorage) import TensorEngine

@Suite("Elementwise, softmax and losses")
struct ElementwiseTests {
    @Test("layer norm forward normalises rows; backward matches finite differences")
    func layerNorm() {
        var values = TestValues(seed: 41)
        let input = values.tensor([2, 3, 6], scale: 2)
        let gamma = values.tensor([6]), beta = values.tensor([6])
        let forward = cpu.layerNormForward(input: input, gamma: gamma, beta: beta)
        let row = (0..<6).map { Double(input[1, 2, $0]) }
        let mean = row.reduce(0, +) / 6
        let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 6
        let expected = (row[4] - mean) / (variance + 1e-5).squareRoot() * Double(gamma[4]) + Double(beta[4])
        #expect(abs(Double(forward.output[1, 2, 4]) - expected) < 1e-5)
        let projection = values.tensor(input.shape)
        let gradients = cpu.layerNormBackward(outputGradient: projection, input: input, gamma: gamma, saved: forward)
        expectGradient("input", at: input, analytic: gradients.input, step: 1e-3) {
            projected(cpu.layerNormForward(input: $0, gamma: gamma, beta: beta).output, projection)
        }
        expectGradient("gamma", at: gamma, analytic: gradients.gamma, step: 1e-3) {
            projected(cpu.layerNormForward(input: input, gamma: $0, beta: beta).output, projection)
        }
        expectGradient("beta", at: beta, analytic: gradients.beta, step: 1e-3) {
            projected(cpu.layerNormForward(input: input, gamma: gamma, beta: $0).output, projection)
        }
    }

    @Test("gelu uses the exact erf form; backward matches finite differences")
    func gelu() {
        // x * Phi(x) at 1 and -2 (Phi from the standard normal table).
        let output = cpu.geluForward(Tensor(shape: [3], storage: [1, -2, 0]))
        #expect(abs(output[0] - 0.8413447) < 1e-6)
        #expect(abs(output[1] - -0.04550026) < 1e-6)
        #expect(output[2] == 0)
        var values = TestValues(seed: 42)
        let input = values.tensor([4, 5], scale: 3), projection = values.tensor([4, 5])
        expectGradient("gelu", at: input, analytic: cpu.geluBackward(outputGradient: projection, input: input),
                       step: 1e-3) { projected(cpu.geluForward($0), projection) }
    }

    @Test("sigmoid is stable at extremes; backward matches finite differences")
    func sigmoid() {
        let output = cpu.sigmoidForward(Tensor(shape: [3], storage: [-200, 0, 200]))
        #expect(output.storage == [0, 0.5, 1])
        var values = TestValues(seed: 43)
        let input = values.tensor([3, 4], scale: 4), projection = values.tensor([3, 4])
        expectGradient("sigmoid", at: input, analytic: cpu.sigmoidBackward(outputGradient: projection,
                                                                        output: cpu.sigmoidForward(input)),
                       step: 1e-3) { projected(cpu.sigmoidForward($0), projection) }
    }

    @Test("softmax and log-softmax rows; backward matches finite differences")
    func softmax() {
        // Large logits must not overflow: exp is taken after subtracting the row maximum.
        let probabilities = cpu.softmaxForward(Tensor(shape: [1, 3], storage: [1000, 1000, 999]))
        let share = Float(1 / (2 + exp(-1.0)))
        #expect(maxAbsDifference(probabilities.storage, [share, share, share * Float(exp(-1.0))]) < 1e-6)
        var values = TestValues(seed: 44)
        let input = values.tensor([2, 3, 5], scale: 3), projection = values.tensor([2, 3, 5])
        let soft = cpu.softmaxForward(input), logSoft = cpu.logSoftmaxForward(input)
        #expect(maxAbsDifference(soft.storage, logSoft.storage.map { exp($0) }) < 1e-6)
        let rowSum = (0..<5).reduce(Float(0)) { $0 + soft[1, 2, $1] }
        #expect(abs(rowSum - 1) < 1e-6)
        expectGradient("softmax", at: input, analytic: cpu.softmaxBackward(outputGradient: projection, output: soft),
                       step: 1e-3) { projected(cpu.softmaxForward($0), projection) }
        expectGradient("logSoftmax", at: input,
                       analytic: cpu.logSoftmaxBackward(outputGradient: projection, output: logSoft),
                       step: 1e-3) { projected(cpu.logSoftmaxForward($0), projection) }
    }

    @Test("BCE with logits sums classes, averages the batch, and its gradient matches finite differences")
    func bce() {
        let logits = Tensor(shape: [2, 2], storage: [0, 100, -100, 2])
        let targets = Tensor(shape: [2, 2], storage: [1, 1, 0, 0])
        let result = cpu.bceWithLogits(logits: logits, targets: targets)
        // log 2 + 0 + 0 + softplus(2), over a batch of 2.
        let expected = (log(2.0) + log(1 + exp(2.0))) / 2
        #expect(abs(Double(result.loss) - expected) < 1e-5)
        var values = TestValues(seed: 45)
        let z = values.tensor([3, 4], scale: 3)
        var t = Tensor.zeros([3, 4])
        for index in 0..<t.count { t.storage[index] = index % 3 == 0 ? 1 : 0 }
        let analytic = cpu.bceWithLogits(logits: z, targets: t).logitsGradient
        expectGradient("bce", at: z, analytic: analytic, step: 1e-3) {
            Double(cpu.bceWithLogits(logits: $0, targets: t).loss)
        }
    }

    @Test("add, addInPlace with alpha, scaleInPlace")
    func addition() {
        let a = Tensor(shape: [2, 2], storage: [1, 2, 3, 4]), b = Tensor(shape: [2, 2], storage: [10, 20, 30, 40])
        #expect(cpu.add(a, b).storage == [11, 22, 33, 44])
        var c = a
        cpu.addInPlace(&c, b, alpha: -0.5)
        #expect(c.storage == [-4, -8, -12, -16])
        cpu.scaleInPlace(&c, by: -0.25)
        #expect(c.storage == [1, 2, 3, 4])
    }

    @Test("addReluInPlace is max(0, a + b)")
    func addRelu() {
        var a = Tensor(shape: [2, 2], storage: [1, -2, 3, -4])
        cpu.addReluInPlace(&a, Tensor(shape: [2, 2], storage: [-3, 5, 0.5, 1]))
        #expect(a.storage == [0, 3, 3.5, 0])
    }

    @Test("elementwise kernels split over workers agree with plain loops on a large tensor")
    func largeElementwise() {
        var values = TestValues(seed: 47)
        let count = 3 * EngineThreads.elementwiseGrain + 5
        var a = values.tensor([count])
        let b = values.tensor([count])
        a.storage[9] = -0.0
        a.storage[10] = .nan
        let relu = cpu.reluForward(a)
        #expect(relu.storage[9].sign == .plus && relu.storage[10].isNaN)
        a.storage[10] = 1
        let finiteRelu = cpu.reluForward(a)
        #expect(finiteRelu.storage == a.storage.map { max($0, 0) })
        #expect(cpu.reluBackward(outputGradient: b, output: finiteRelu).storage
                == zip(b.storage, finiteRelu.storage).map { $1 > 0 ? $0 : 0 })
        var sum = a
        cpu.addReluInPlace(&sum, b)
        #expect(sum.storage == zip(a.storage, b.storage).map { max(0, $0 + $1) })
        var scaled = a
        cpu.addInPlace(&scaled, b, alpha: 0.5)
        cpu.scaleInPlace(&scaled, by: 3)
        #expect(scaled.storage == zip(a.storage, b.storage).map { ($0 + 0.5 * $1) * 3 })
    }

    @Test("L2 normalisation and cosine similarity; backward matches finite differences")
    func cosine() {
        let unit = cpu.l2NormalizeRowsForward(Tensor(shape: [2, 2], storage: [3, 4, 0, 0]))
        #expect(unit.output.storage == [0.6, 0.8, 0, 0])
        #expect(unit.norms.storage == [5, 0])
        var values = TestValues(seed: 46)
        let a = values.tensor([3, 4]), b = values.tensor([5, 4])
        let forward = cpu.cosineSimilarityForward(a, b)
        var dot = 0.0, normA = 0.0, normB = 0.0
        for k in 0..<4 {
            dot += Double(a[2, k]) * Double(b[3, k])
            normA += Double(a[2, k] * a[2, k])
            normB += Double(b[3, k] * b[3, k])
        }
        #expect(abs(Double(forward.output[2, 3]) - dot / (normA * normB).squareRoot()) < 1e-5)
        let projection = values.tensor([3, 5])
        let gradients = cpu.cosineSimilarityBackward(outputGradient: projection, saved: forward)
        expectGradient("a", at: a, analytic: gradients.a, step: 1e-3) {
            projected(cpu.cosineSimilarityForward($0, b).output, projection)
        }
        expectGradient("b", at: b, analytic: gradients.b, step: 1e-3) {
            projected(cpu.cosineSimilarityForward(a, $0).output, projection)
        }
        let rows = values.tensor([2, 3])
        let normalized = cpu.l2NormalizeRowsForward(rows)
        let rowProjection = values.tensor([2, 3])
        expectGradient("normalize", at: rows,
                       analytic: cpu.l2NormalizeRowsBackward(outputGradient: rowProjection, saved: normalized),
                       step: 1e-3) { projected(cpu.l2NormalizeRowsForward($0).output, rowProjection) }
    }

    @Test("bilinear resize matches PyTorch align_corners=False up and down")
    func bilinear() {
        let small = Tensor(shape: [1, 1, 2, 2], storage: [1, 2, 3, 4])
        let up = cpu.bilinearResize(small, height: 4, width: 4)
        // torch.nn.functional.interpolate(..., size=(4, 4), mode="bilinear", align_corners=False)
        #expect(up.storage == [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4])
        var values = TestValues(seed: 47)
        let large = values.tensor([2, 3, 4, 6])
        let down = cpu.bilinearResize(large, height: 2, width: 3)
        // Exact 2x shrink samples the centre of each 2x2 block: its mean.
        let block = (large[1, 2, 2, 2] + large[1, 2, 2, 3] + large[1, 2, 3, 2] + large[1, 2, 3, 3]) / 4
        #expect(abs(down[1, 2, 1, 1] - block) < 1e-6)
        let same = cpu.bilinearResize(large, height: 4, width: 6)
        #expect(same.storage == large.storage)
    }
}
