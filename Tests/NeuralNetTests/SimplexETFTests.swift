import NeuralNet
import Testing

@Suite("NeuralNet simplex ETF")
struct SimplexETFTests {
    @Test("Rows have unit norm and pairwise cosine -1/(K-1)", arguments: [(2, 4), (10, 64), (20, 512)])
    func geometry(classes: Int, dimension: Int) {
        let frame = FixedClassifier.simplexETF(classes: classes, dimension: dimension)
        for i in 0..<classes {
            for j in 0..<classes {
                var dot: Float = 0
                for index in 0..<dimension { dot += frame[i * dimension + index] * frame[j * dimension + index] }
                let expected: Float = i == j ? 1 : -1 / Float(classes - 1)
                #expect(abs(dot - expected) < 1e-5, "(\(i), \(j))")
            }
        }
    }

    @Test("Training never changes the ETF; the logit scale moves only when learnable",
          arguments: [LogitScale.fixed, .learnable])
    func fixedDuringTraining(logitScale: LogitScale) {
        let model = MultiLabelClassifier(
            configuration: ModelConfiguration(classCount: 3, head: .ladmETF, stem: .cifar, widthMultiplier: 0.0625,
                                              inputSize: 8, logitScale: logitScale),
            seed: 3)
        let before = model.state.values(of: "head.etf")
        #expect(model.state.entry(named: "head.etf")?.isTrainable == false)
        let images = ImageBatch(count: 2, height: 8, width: 8, channels: 3,
                                pixels: (0..<384).map { UInt8(truncatingIfNeeded: $0 &* 37) })
        var optimizer = AdamW(learningRate: 1e-2)
        for _ in 0..<2 {
            let (_, gradients) = model.lossAndGradients(images: images, labels: [1, 0, 0, 0, 1, 1],
                                                        loss: LossConfiguration())
            #expect(gradients.values(of: "head.etf").allSatisfy { $0 == 0 })
            optimizer.step(&model.state, gradients: gradients)
        }
        #expect(model.state.values(of: "head.etf") == before)
        if logitScale == .learnable {
            #expect(model.state.values(of: "head.scale") != [10], "the scale s is trained")
        } else {
            #expect(model.state.values(of: "head.scale") == [1], "the fixed scale s stays 1")
        }
    }
}
