import Testing
import TensorEngine

/// The ops that replaced NeuralNet's host loops (row vectors, token layout, dropout's product, normalisation,
/// AdamW): each against a direct loop written here, bitwise, since the models depend on their exact rounding.
@Suite("Row-vector, layout, normalisation and AdamW ops")
struct HostMathOpsTests {
    @Test("addRowVector, columnSums, scaleAddRowVector and dot equal direct loops bitwise")
    func rowVectors() {
        var values = TestValues(seed: 7)
        let matrix = values.tensor([5, 3], scale: 2), vector = values.tensor([3]), scale = values.tensor([1])
        var added = matrix
        cpu.addRowVectorInPlace(&added, vector)
        let sums = cpu.columnSums(matrix)
        let scaled = cpu.scaleAddRowVector(matrix, scale: scale, vector: vector)
        var expectedSums = [Float](repeating: 0, count: 3)
        for row in 0..<5 {
            for column in 0..<3 {
                #expect(added[row, column] == matrix[row, column] + vector[column])
                #expect(scaled[row, column] == scale[0] * matrix[row, column] + vector[column])
                expectedSums[column] += matrix[row, column]
            }
        }
        #expect(sums.shape == [3] && sums.storage == expectedSums)
        let other = values.tensor([5, 3])
        var expectedDot: Float = 0
        for index in 0..<15 { expectedDot += matrix.storage[index] * other.storage[index] }
        #expect(cpu.dot(matrix, other).storage == [expectedDot])
    }

    @Test("tokens from a feature map put channels along rows; the inverse restores the map")
    func tokenLayout() {
        var values = TestValues(seed: 8)
        let map = values.tensor([2, 3, 2, 4])
        let tokens = cpu.tokensFromFeatureMap(map)
        #expect(tokens.shape == [2 * 8, 3])
        for sample in 0..<2 {
            for channel in 0..<3 {
                for y in 0..<2 {
                    for x in 0..<4 { #expect(tokens[sample * 8 + y * 4 + x, channel] == map[sample, channel, y, x]) }
                }
            }
        }
        #expect(cpu.featureMapFromTokens(tokens, batch: 2, height: 2, width: 4) == map)
    }

    @Test("multiply is the elementwise product; normalizeChannels is (x - mean) / std per channel")
    func elementwise() {
        var values = TestValues(seed: 9)
        let a = values.tensor([4, 6]), b = values.tensor([24])
        let product = cpu.multiply(a, b)
        #expect(product.shape == [4, 6])
        #expect(product.storage == zip(a.storage, b.storage).map { $0 * $1 })
        let images = values.tensor([2, 3, 2, 2])
        var normalized = images
        let (mean, deviation): ([Float], [Float]) = ([0.5, -0.25, 0.125], [0.2, 0.3, 0.4])
        cpu.normalizeChannelsInPlace(&normalized, mean: mean, standardDeviation: deviation)
        for index in 0..<images.count {
            let channel = (index / 4) % 3
            #expect(normalized.storage[index] == (images.storage[index] - mean[channel]) / deviation[channel])
        }
    }

    @Test("AdamW update: eight lanes and tail equal the scalar formula; a shifted segment updates the owner")
    func adamWUpdate() {
        let count = 21  // two full lanes and a tail of five
        let p = (0..<(2 * count)).map { Float($0) * 0.37 - 3 }
        let m = (0..<count).map { Float($0 % 5) * 0.01 - 0.02 }, v = (0..<count).map { Float($0 % 7) * 0.003 }
        let g = (0..<count).map { Float(($0 * 7919) % 23) * 0.05 - 0.5 }
        let step = AdamWStep(beta1: 0.9, beta2: 0.98, epsilon: 1e-8, stepSize: 1e-3 / 0.19,
                             biasCorrection2Root: (1 - Float(0.98) * 0.98).squareRoot())
        let decay: Float = 0.999
        /// The scalar formula on parameter element `i + shift`.
        func expected(shift: Int) -> (p: [Float], m: [Float], v: [Float]) {
            var (p, m, v) = (p, m, v)
            for i in 0..<count {
                var value = p[i + shift] * decay
                let mNew = m[i] + (g[i] - m[i]) * (1 - step.beta1)
                let vNew = v[i] * step.beta2 + (1 - step.beta2) * g[i] * g[i]
                (m[i], v[i]) = (mNew, vNew)
                value -= step.stepSize * (mNew / (vNew.squareRoot() / step.biasCorrection2Root + step.epsilon))
                p[i + shift] = value
            }
            return (p, m, v)
        }
        for shift in [0, count] {
            var parameters = Tensor(shape: [2 * count], storage: p)
            var first = Tensor(shape: [count], storage: m), second = Tensor(shape: [count], storage: v)
            cpu.adamWUpdate(parameters: &parameters, gradients: Tensor(shape: [count], storage: g),
                            firstMoments: &first, secondMoments: &second,
                            segments: [AdamWSegment(elements: 0..<count, parameterShift: shift, decay: decay)],
                            step: step)
            let reference = expected(shift: shift)
            #expect(parameters.storage == reference.p && first.storage == reference.m
                    && second.storage == reference.v, "shift \(shift)")
        }
        var copied = Tensor(shape: [2 * count], storage: p)
        cpu.copyElements(&copied, from: count, to: 0, count: count)
        #expect(copied.storage == Array(p[count...]) + Array(p[count...]))
    }
}
