import NeuralNet
import TensorEngine
import Testing

/// The engine seam end to end: a model built on `RecordingBackend` (the CPU behind a second `EngineBackend`)
/// must compute bitwise what the same model computes on `CPUBackend`, and must reach every ResNet-18 layer's
/// kernels through the backend.
@Suite("NeuralNet engine backend seam")
struct BackendSeamTests {
    /// ImageNet stem (max pool), 40x40 images resized to 32 (bilinear resize), width 1/16.
    static func configuration(_ head: HeadKind) -> ModelConfiguration {
        ModelConfiguration(classCount: 3, head: head, stem: .imagenet, widthMultiplier: 0.0625, inputSize: 32)
    }

    @Test("A train step, an AdamW step and an eval pass on a recording backend equal the CPU's bitwise",
          arguments: [HeadKind.mlp, .ladmETF, .sphere])
    func recordingMatchesCPU(head: HeadKind) {
        let recording = RecordingBackend()
        let onCPU = MultiLabelClassifier(configuration: Self.configuration(head), seed: 4, backend: CPUBackend())
        let recorded = MultiLabelClassifier(configuration: Self.configuration(head), seed: 4, backend: recording)
        #expect(onCPU.state.values == recorded.state.values)
        let images = TrainingTests.images(count: 2, size: 40)
        let labels: [Float] = [1, 0, 1, 0, 1, 0]
        // The contrastive term needs prototypes, which the mlp head has not.
        let loss = head == .mlp ? LossConfiguration(lambdaRejection: 1, lambdaContrastive: 0) : LossConfiguration()
        for model in [onCPU, recorded] {
            var optimizer = AdamW(learningRate: 1e-3, backend: model.backend)
            let (_, gradients) = model.lossAndGradients(images: images, labels: labels, loss: loss)
            optimizer.step(&model.state, gradients: gradients)
        }
        let cpuStep = onCPU.lossAndGradients(images: images, labels: labels, loss: loss)
        let recordedStep = recorded.lossAndGradients(images: images, labels: labels, loss: loss)
        #expect(cpuStep.loss == recordedStep.loss)
        #expect(cpuStep.gradients.values == recordedStep.gradients.values)
        #expect(onCPU.state.values == recorded.state.values)
        #expect(onCPU.predict(images: images) == recorded.predict(images: images))

        // Two train steps and one eval pass: ResNet-18 has 20 convolutions and 20 batch norms, one max pool.
        let counts = recording.counts
        #expect(counts["conv2dForward"] == 3 * 20)
        #expect(counts["conv2dBackward"] == 2 * 20)
        #expect(counts["batchNorm2dForwardTraining"] == 2 * 20)
        #expect(counts["batchNorm2dForwardInference"] == 20)
        #expect(counts["batchNorm2dBackward"] == 2 * 20)
        #expect(counts["maxPool2dForward"] == 3)
        #expect(counts["maxPool2dBackward"] == 2)
        #expect(counts["bilinearResize"] == 3)
        #expect(counts["planarImages"] == 3)
        #expect(counts["normalizeChannelsInPlace"] == 3)
        #expect(counts["adamWUpdate"] == 1)
        // Two train steps compute the loss, one eval pass the probabilities.
        #expect(counts["binaryCrossEntropyTerms"] == 2)
        #expect(counts["prototypeContrastive", default: 0] == (head == .mlp ? 0 : 2))
        #expect(counts["sigmoidForward"] == 1)
        // Per forward: the stem's ReLU and one per block in place, 8 fused with the residual sums; per backward
        // all 17 masks.
        #expect(counts["addReluInPlace"] == 3 * 8)
        #expect(counts["reluForwardInPlace"] == 3 * 9)
        #expect(counts["reluBackwardInPlace"] == 2 * 17)
        let headOps: [String] = switch head {
        case .mlp: ["linearForward", "linearBackward", "layerNormForward", "layerNormBackward", "geluForward",
                    "geluBackward", "globalAveragePoolForward", "globalAveragePoolBackward"]
        case .ladmETF: ["batchedMatmul", "softmaxForward", "softmaxBackward", "linearForward", "linearBackward",
                        "matmul", "matmul(into:)", "tokensFromFeatureMap", "featureMapFromTokens",
                        "addRowVectorInPlace", "columnSums", "scaleAddRowVector"]
        case .sphere: ["l2NormalizeRowsForward", "l2NormalizeRowsBackward", "matmul", "globalAveragePoolForward",
                       "globalAveragePoolBackward", "addInPlace"]
        }
        for op in headOps { #expect(counts[op, default: 0] > 0, "\(head) head: \(op) never ran") }
    }
}
