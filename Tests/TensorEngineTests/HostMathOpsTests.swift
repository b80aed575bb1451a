import Foundation
import Testing
@_spi(HostStorage) import TensorEngine

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

    @Test("BCE terms: float sum in index order over the included elements, scaled gradient, 0 where excluded")
    func binaryCrossEntropy() {
        var values = TestValues(seed: 10)
        let logits = values.tensor([3, 4], scale: 6)
        let targets = Tensor(shape: [3, 4], storage: (0..<12).map { Float($0 % 3 == 0 ? 1 : 0) })
        let included = Tensor(shape: [12], storage: (0..<12).map { Float($0 % 5 == 0 ? 0 : 1) })
        let terms = cpu.binaryCrossEntropyTerms(logits: logits, targets: targets, included: included,
                                                gradientScale: 0.25)
        var sum: Float = 0
        for index in 0..<12 {
            let (x, y) = (logits.storage[index], targets.storage[index])
            guard index % 5 != 0 else {
                #expect(terms.gradient.storage[index] == 0)
                continue
            }
            sum += max(x, 0) - x * y + log1pf(expf(-abs(x)))
            let sigmoid = x >= 0 ? 1 / (1 + expf(-x)) : expf(x) / (1 + expf(x))
            #expect(terms.gradient.storage[index] == (sigmoid - y) * 0.25, "element \(index)")
        }
        #expect(terms.sum.storage == [sum])
    }

    @Test("prototype contrastive: -log softmax of cosines / temperature, against a float64 loop")
    func prototypeContrastive() {
        var values = TestValues(seed: 11)
        let features = values.tensor([2, 5]), prototypes = values.tensor([3, 5])
        let pairs = [FeatureClassPair(row: 0, classIndex: 2), FeatureClassPair(row: 1, classIndex: 0)]
        let terms = cpu.prototypeContrastive(features: features, prototypes: prototypes, pairs: pairs,
                                             inverseTemperature: 2, weight: 0.5, prototypeGradient: false)
        func norm(_ t: Tensor, _ row: Int) -> Double {
            (0..<5).reduce(0.0) { $0 + Double(t[row, $1]) * Double(t[row, $1]) }.squareRoot()
        }
        var expected = 0.0
        for pair in pairs {
            let logits = (0..<3).map { j in
                2 * (0..<5).reduce(0.0) { $0 + Double(features[pair.row, $1]) * Double(prototypes[j, $1]) }
                    / (norm(features, pair.row) * norm(prototypes, j))
            }
            expected -= logits[pair.classIndex] - log(logits.reduce(0.0) { $0 + exp($1) })
        }
        #expect(abs(Double(terms.sum.storage[0]) - expected) < 1e-5)
        #expect(terms.featureGradient.shape == [2, 5] && terms.prototypeGradient == nil)
    }

    @Test("planar images from bytes: NHWC to NCHW, byte / 255, gray repeated to three channels")
    func planarImagesFromBytes() {
        let pixels: [UInt8] = (0..<36).map { (index: Int) -> UInt8 in UInt8(truncatingIfNeeded: index * 37) }
        let rgb = cpu.planarImages(fromBytes: pixels, count: 2, height: 2, width: 3, channels: 3)
        let gray = cpu.planarImages(fromBytes: Array(pixels[..<12]), count: 2, height: 2, width: 3, channels: 1)
        #expect(rgb.shape == [2, 3, 2, 3] && gray.shape == [2, 3, 2, 3])
        for image in 0..<2 {
            for channel in 0..<3 {
                for y in 0..<2 {
                    for x in 0..<3 {
                        let pixel = (image * 2 + y) * 3 + x
                        #expect(rgb[image, channel, y, x] == Float(pixels[pixel * 3 + channel]) / 255)
                        #expect(gray[image, channel, y, x] == Float(pixels[pixel]) / 255)
                    }
                }
            }
        }
    }

    @Test("label tokens: sequence rows, readout from the bias in column order, its gradients summed over samples")
    func labelTokens() {
        var values = TestValues(seed: 12)
        let (batch, plane, classes, d) = (2, 3, 2, 4)
        let image = values.tensor([batch * plane, d]), labels = values.tensor([classes, d])
        let states = values.tensor([3, d]), stateRows = [0, 2, 1, 0]
        let sequence = cpu.labelTokenSequence(image: image, labelEmbedding: labels, stateEmbedding: states,
                                              stateRows: stateRows, batch: batch)
        let tokenCount = plane + classes
        #expect(sequence.shape == [batch * tokenCount, d])
        for sample in 0..<batch {
            for column in 0..<d {
                for position in 0..<plane {
                    #expect(sequence[sample * tokenCount + position, column]
                            == image[sample * plane + position, column])
                }
                for label in 0..<classes {
                    #expect(sequence[sample * tokenCount + plane + label, column]
                            == labels[label, column] + states[stateRows[sample * classes + label], column])
                }
            }
        }
        let weight = values.tensor([classes, d]), bias = values.tensor([classes])
        let logits = cpu.labelReadoutForward(tokens: sequence, weight: weight, bias: bias, batch: batch,
                                             firstLabelRow: plane)
        let upstream = values.tensor([batch, classes])
        let gradients = cpu.labelReadoutBackward(outputGradient: upstream, tokens: sequence, weight: weight,
                                                 firstLabelRow: plane)
        var expectedWeight = [Float](repeating: 0, count: classes * d), expectedBias = [Float](repeating: 0, count: 2)
        var expectedInput = [Float](repeating: 0, count: sequence.count)
        for sample in 0..<batch {
            for label in 0..<classes {
                let row = sample * tokenCount + plane + label
                var sum = bias[label]
                for column in 0..<d { sum += weight[label, column] * sequence[row, column] }
                #expect(logits[sample, label] == sum)
                let g = upstream[sample, label]
                expectedBias[label] += g
                for column in 0..<d {
                    expectedWeight[label * d + column] += g * sequence[row, column]
                    expectedInput[row * d + column] = g * weight[label, column]
                }
            }
        }
        #expect(gradients.weight.storage == expectedWeight && gradients.bias?.storage == expectedBias)
        #expect(gradients.input.storage == expectedInput)
    }
}
