import Testing
@_spi(HostStorage) import TensorEngine

@Suite("BatchNorm2D")
struct BatchNormTests {
    @Test("training forward normalises with batch statistics and updates running stats like PyTorch")
    func trainingForward() {
        var values = TestValues(seed: 11)
        let input = values.tensor([3, 2, 4, 5], scale: 3)
        let gamma = values.tensor([2]), beta = values.tensor([2])
        var runningMean = Tensor(shape: [2], storage: [0.5, -1])
        var runningVariance = Tensor(shape: [2], storage: [2, 0.25])
        let result = cpu.batchNorm2dForwardTraining(input: input, gamma: gamma, beta: beta, runningMean: &runningMean,
                                                runningVariance: &runningVariance, momentum: 0.1)
        for channel in 0..<2 {
            var samples = [Double]()
            for n in 0..<3 { for y in 0..<4 { for x in 0..<5 { samples.append(Double(input[n, channel, y, x])) } } }
            let mean = samples.reduce(0, +) / Double(samples.count)
            let biased = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count)
            let unbiased = biased * Double(samples.count) / Double(samples.count - 1)
            #expect(abs(Double(result.mean[channel]) - mean) < 1e-5)
            #expect(abs(Double(result.inverseStd[channel]) - 1 / (biased + 1e-5).squareRoot()) < 1e-4)
            let initialMean = [0.5, -1.0][channel], initialVariance = [2.0, 0.25][channel]
            #expect(abs(Double(runningMean[channel]) - (0.9 * initialMean + 0.1 * mean)) < 1e-5)
            #expect(abs(Double(runningVariance[channel]) - (0.9 * initialVariance + 0.1 * unbiased)) < 1e-4)
            let expected = (Double(input[1, channel, 2, 3]) - mean) / (biased + 1e-5).squareRoot()
                * Double(gamma[channel]) + Double(beta[channel])
            #expect(abs(Double(result.output[1, channel, 2, 3]) - expected) < 1e-4)
        }
    }

    @Test("inference forward uses the running statistics")
    func inferenceForward() {
        var values = TestValues(seed: 12)
        let input = values.tensor([2, 3, 2, 2])
        let gamma = values.tensor([3]), beta = values.tensor([3])
        let runningMean = values.tensor([3]), runningVariance = Tensor(shape: [3], storage: [0.5, 1.5, 2])
        let output = cpu.batchNorm2dForwardInference(input: input, gamma: gamma, beta: beta, runningMean: runningMean,
                                                 runningVariance: runningVariance)
        for (n, c, y, x) in [(0, 0, 0, 0), (1, 2, 1, 0), (0, 1, 1, 1)] {
            let expected = (input[n, c, y, x] - runningMean[c]) / (runningVariance[c] + 1e-5).squareRoot()
                * gamma[c] + beta[c]
            #expect(abs(output[n, c, y, x] - expected) < 1e-5)
        }
    }

    @Test("training forward and backward repeat bitwise")
    func deterministic() {
        var values = TestValues(seed: 14)
        let input = values.tensor([8, 16, 6, 6]), gamma = values.tensor([16]), beta = values.tensor([16])
        let gradient = values.tensor(input.shape)
        var results = [[Float]]()
        for _ in 0..<2 {
            var mean = Tensor.zeros([16]), variance = Tensor(shape: [16], repeating: 1)
            let forward = cpu.batchNorm2dForwardTraining(input: input, gamma: gamma, beta: beta, runningMean: &mean,
                                                     runningVariance: &variance)
            let backward = cpu.batchNorm2dBackward(outputGradient: gradient, input: input, gamma: gamma, saved: forward)
            results.append(forward.output.storage + variance.storage + backward.input.storage + backward.gamma.storage)
        }
        #expect(results[0] == results[1])
    }

    @Test("backward matches finite differences for input, gamma and beta")
    func gradients() {
        var values = TestValues(seed: 13)
        let input = values.tensor([2, 3, 3, 2], scale: 2)
        let gamma = values.tensor([3]), beta = values.tensor([3])
        let projection = values.tensor(input.shape)
        func loss(_ x: Tensor, _ g: Tensor, _ b: Tensor) -> Double {
            var mean = Tensor.zeros([3]), variance = Tensor(shape: [3], repeating: 1)
            return projected(cpu.batchNorm2dForwardTraining(input: x, gamma: g, beta: b, runningMean: &mean,
                                                        runningVariance: &variance).output, projection)
        }
        var mean = Tensor.zeros([3]), variance = Tensor(shape: [3], repeating: 1)
        let forward = cpu.batchNorm2dForwardTraining(input: input, gamma: gamma, beta: beta, runningMean: &mean,
                                                 runningVariance: &variance)
        let gradients = cpu.batchNorm2dBackward(outputGradient: projection, input: input, gamma: gamma, saved: forward)
        expectGradient("input", at: input, analytic: gradients.input, step: 1e-3) { loss($0, gamma, beta) }
        expectGradient("gamma", at: gamma, analytic: gradients.gamma, step: 1e-3) { loss(input, $0, beta) }
        expectGradient("beta", at: beta, analytic: gradients.beta, step: 1e-3) { loss(input, gamma, $0) }
    }
}

@Suite("Pooling and activations")
struct PoolingTests {
    @Test("relu forward and backward")
    func relu() {
        let input = Tensor(shape: [2, 3], storage: [-1, 0.5, 0, 2, -0.25, 3])
        let output = cpu.reluForward(input)
        #expect(output.storage == [0, 0.5, 0, 2, 0, 3])
        let gradient = cpu.reluBackward(outputGradient: Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6]),
                                        output: output)
        #expect(gradient.storage == [0, 2, 0, 4, 0, 6])
        var values = TestValues(seed: 21)
        let x = values.tensor([3, 4]), projection = values.tensor([3, 4])
        expectGradient("relu", at: x,
                       analytic: cpu.reluBackward(outputGradient: projection, output: cpu.reluForward(x)), step: 1e-3) { projected(cpu.reluForward($0), projection) }
    }

    @Test("max pool 3x3 stride 2 padding 1 picks window maxima and routes gradients", arguments: [(3, 2, 1), (2, 2, 0), (3, 1, 1)])
    func maxPool(window: (Int, Int, Int)) {
        var values = TestValues(seed: 22)
        let input = values.tensor([2, 3, 7, 6])
        let (kernel, stride, padding) = window
        let result = cpu.maxPool2dForward(input: input, kernelSize: kernel, stride: stride, padding: padding)
        let outH = (7 + 2 * padding - kernel) / stride + 1, outW = (6 + 2 * padding - kernel) / stride + 1
        #expect(result.output.shape == [2, 3, outH, outW])
        for n in 0..<2 {
            for c in 0..<3 {
                for oy in 0..<outH {
                    for ox in 0..<outW {
                        var best = -Float.infinity
                        for y in (oy * stride - padding)..<(oy * stride - padding + kernel) where y >= 0 && y < 7 {
                            for x in (ox * stride - padding)..<(ox * stride - padding + kernel) where x >= 0 && x < 6 {
                                best = max(best, input[n, c, y, x])
                            }
                        }
                        #expect(result.output[n, c, oy, ox] == best)
                    }
                }
            }
        }
        let projection = values.tensor(result.output.shape)
        let gradient = cpu.maxPool2dBackward(outputGradient: projection, argmax: result.argmax, inputShape: input.shape)
        expectGradient("maxpool", at: input, analytic: gradient, step: 1e-3) {
            projected(cpu.maxPool2dForward(input: $0, kernelSize: kernel, stride: stride, padding: padding).output,
                      projection)
        }
    }

    @Test("global average pool forward and backward")
    func globalAverage() {
        var values = TestValues(seed: 23)
        let input = values.tensor([2, 3, 4, 5])
        let output = cpu.globalAveragePoolForward(input)
        var expected = 0.0
        for y in 0..<4 { for x in 0..<5 { expected += Double(input[1, 2, y, x]) } }
        #expect(abs(Double(output[1, 2]) - expected / 20) < 1e-6)
        let projection = values.tensor([2, 3])
        expectGradient("gap", at: input, analytic: cpu.globalAveragePoolBackward(outputGradient: projection,
                                                                           inputShape: input.shape)) {
            projected(cpu.globalAveragePoolForward($0), projection)
        }
    }
}

@Suite("Linear")
struct LinearTests {
    @Test("forward is x W^T + b over leading dimensions; backward matches finite differences")
    func linear() {
        var values = TestValues(seed: 31)
        let input = values.tensor([2, 3, 5]), weight = values.tensor([4, 5]), bias = values.tensor([4])
        let output = cpu.linearForward(input: input, weight: weight, bias: bias)
        #expect(output.shape == [2, 3, 4])
        var expected = Double(bias[2])
        for k in 0..<5 { expected += Double(input[1, 2, k]) * Double(weight[2, k]) }
        #expect(abs(Double(output[1, 2, 2]) - expected) < 1e-5)
        let projection = values.tensor([2, 3, 4])
        let gradients = cpu.linearBackward(outputGradient: projection, input: input, weight: weight)
        expectGradient("input", at: input, analytic: gradients.input) {
            projected(cpu.linearForward(input: $0, weight: weight, bias: bias), projection)
        }
        expectGradient("weight", at: weight, analytic: gradients.weight) {
            projected(cpu.linearForward(input: input, weight: $0, bias: bias), projection)
        }
        expectGradient("bias", at: bias, analytic: gradients.bias!) {
            projected(cpu.linearForward(input: input, weight: weight, bias: $0), projection)
        }
        let noBias = cpu.linearForward(input: input, weight: weight)
        #expect(abs(noBias[1, 2, 2] - (output[1, 2, 2] - bias[2])) < 1e-5)
    }
}
