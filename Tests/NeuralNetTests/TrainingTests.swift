import Foundation
import NeuralNet
import Testing

@Suite("NeuralNet training")
struct TrainingTests {
    static func images(count: Int, size: Int, channels: Int = 3, salt: Int = 0) -> ImageBatch {
        ImageBatch(count: count, height: size, width: size, channels: channels,
                   pixels: (0..<(count * size * size * channels)).map {
                       UInt8(truncatingIfNeeded: Int((hashedUniform($0, salt: salt) + 1) * 127.5))
                   })
    }

    @Test("Head gradients (and the feature gradient they pass back) match central finite differences",
          arguments: [(HeadKind.ladmETF, QueryMode.learnable, true), (.ladmETF, .fixed, false), (.mlp, .fixed, true),
                      (.sphere, .fixed, true)])
    func headFiniteDifferences(head: HeadKind, queries: QueryMode, useLADM: Bool) {
        let model = MultiLabelClassifier(
            configuration: ModelConfiguration(classCount: 4, head: head, stem: .cifar, widthMultiplier: 0.0625,
                                              inputSize: 16, queries: queries, useLADM: useLADM,
                                              // The learnable-queries case also trains the paper's logit scale.
                                              logitScale: queries == .learnable ? .learnable : .fixed),
            seed: 5)
        let images = Self.images(count: 3, size: 16)
        let labels: [Float] = [1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0]
        let loss = head == .mlp ? LossConfiguration(lambdaRejection: 1, lambdaContrastive: 0) : LossConfiguration()
        let (_, gradients) = model.lossAndGradients(images: images, labels: labels, loss: loss)
        var checked = 0
        let checkedNames: Set = ["layer4.1.bn2.weight", "layer4.1.conv2.weight"]
        for entry in model.state.entries
        where entry.isTrainable && (entry.name.hasPrefix("head.") || checkedNames.contains(entry.name)) {
            // The three largest-gradient elements of each head tensor and of two layer4 tensors feeding the head.
            let values = gradients.values(of: entry.name)
            let indices = values.indices.sorted { abs(values[$0]) > abs(values[$1]) }.prefix(3)
            for index in indices {
                let position = entry.offset + index
                let original = model.state.values[position]
                let epsilon: Float = max(1e-2, abs(original) * 1e-2)
                model.state.values[position] = original + epsilon
                let plus = model.lossAndGradients(images: images, labels: labels, loss: loss).loss
                model.state.values[position] = original - epsilon
                let minus = model.lossAndGradients(images: images, labels: labels, loss: loss).loss
                model.state.values[position] = original
                let numeric = (plus - minus) / (2 * epsilon)
                let analytic = gradients.values[position]
                #expect(abs(numeric - analytic) <= 2e-3 + 2e-2 * abs(analytic),
                        "\(entry.name)[\(index)]: numeric \(numeric), analytic \(analytic)")
                checked += 1
            }
        }
        #expect(checked >= 6)
    }

    @Test("Facade: predictions are probabilities, pooled features are B x d, gray images work")
    func facadeShapes() {
        let model = MultiLabelClassifier(
            configuration: ModelConfiguration(classCount: 3, head: .sphere, stem: .imagenet, widthMultiplier: 0.0625,
                                              inputSize: 32),
            seed: 9)
        let gray = Self.images(count: 2, size: 28, channels: 1)
        let probabilities = model.predict(images: gray)
        #expect(probabilities.count == 6 && probabilities.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(model.pooledFeatures(images: gray).count == 2 * 32)
        let before = model.state.values(of: "bn1.running_mean")
        _ = model.lossAndGradients(images: gray, labels: [1, 0, 0, 0, 1, 1], loss: .binaryCrossEntropyOnly)
        #expect(model.state.values(of: "bn1.running_mean") != before, "train mode updates running statistics")
        #expect(model.state.values(of: "bn1.num_batches_tracked") == [1])
        let again = model.predict(images: gray)
        #expect(again != probabilities, "eval mode uses the updated running statistics")
    }

    @Test("A tiny ResNet (width 0.125, 32x32, CIFAR stem) overfits fixed batches")
    func overfits() {
        let model = MultiLabelClassifier(
            configuration: ModelConfiguration(classCount: 4, head: .ladmETF, stem: .cifar, widthMultiplier: 0.125,
                                              inputSize: 32),
            seed: 11)
        let batches = (0..<2).map { Self.images(count: 8, size: 32, salt: $0 + 1) }
        let labels: [[Float]] = (0..<2).map { batch in
            (0..<32).map { hashedUniform($0, salt: 100 + batch) > 0.2 ? 1 : 0 }
        }
        var optimizer = AdamW(learningRate: 2e-3)
        var first: Float = 0
        var last: Float = 0
        for step in 0..<30 {
            let index = step % 2
            let (loss, gradients) = model.lossAndGradients(images: batches[index], labels: labels[index],
                                                           loss: LossConfiguration(lambdaRejection: 0.1))
            optimizer.step(&model.state, gradients: gradients)
            if step < 2 { first += loss }
            if step >= 28 { last += loss }
        }
        #expect(last < 0.5 * first, "loss went from \(first / 2) to \(last / 2)")
    }
}
