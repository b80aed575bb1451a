import Foundation
import NeuralNet
import Safetensors
import TensorEngine
import Testing

/// FedLGT's C-Tran head against PyTorch (`tools/fixtures/make_ctran_fixtures.py`): names, eval logits through
/// torch.nn.TransformerEncoderLayer, every gradient without dropout, train mode with recorded dropout masks, and
/// one AdamW step.
@Suite("NeuralNet C-Tran head vs PyTorch")
struct CTranHeadTests {
    static let tolerance: Float = 1e-4
    static let configuration = LabelTransformerConfiguration(classCount: 3, stem: .cifar, widthMultiplier: 0.0625,
                                                             inputSize: 16, dimension: 16, heads: 4, layers: 3,
                                                             dropout: 0.1)

    struct Fixture {
        let file: SafetensorsFile
        let model: LabelTransformerClassifier
        let features: FeatureMap
        let labels: [Float]
        let states: [LabelState]
    }

    static func load(backend: any EngineBackend = CPUBackend()) throws -> Fixture {
        let file = try Fixtures.open("ctran_head.safetensors")
        let model = LabelTransformerClassifier(configuration: configuration, seed: 1, backend: backend)
        for entry in model.state.entries where entry.name.hasPrefix("head.") {
            model.state.setValues(of: entry.name, to: try file.floats("state/\(entry.name)"))
        }
        let features = FeatureMap(batch: 2, channels: 32, height: 2, width: 2, values: try file.floats("features"))
        let states = try file.array(of: Int8.self, "states").map { try #require(LabelState(rawValue: $0)) }
        return Fixture(file: file, model: model, features: features, labels: try file.floats("labels"),
                       states: states)
    }

    static func expectGradients(_ gradients: ParameterSet, _ fixture: Fixture, prefix: String) throws {
        for entry in gradients.entries where entry.name.hasPrefix("head.") {
            let actual = gradients.values(of: entry.name)
            if entry.isTrainable {
                let expected = try fixture.file.floats("\(prefix)/grad/\(entry.name)")
                let error = relativeError(actual, expected)
                #expect(error < tolerance, "\(prefix) gradient of \(entry.name): relative error \(error)")
            } else {
                #expect(actual.allSatisfy { $0 == 0 }, "frozen \(entry.name) has a gradient")
            }
        }
    }

    @Test("Names and shapes match the PyTorch module; the embeddings table fills both frozen embeddings")
    func layout() throws {
        let fixture = try Self.load()
        let fixtureNames = Set(fixture.file.tensorNames.filter { $0.hasPrefix("state/") }.map { String($0.dropFirst(6)) })
        let headNames = Set(fixture.model.state.entries.map(\.name).filter { $0.hasPrefix("head.") })
        #expect(headNames == fixtureNames)
        for entry in fixture.model.state.entries where entry.name.hasPrefix("head.") {
            #expect(try fixture.file.info("state/\(entry.name)").shape == entry.shape, "\(entry.name)")
        }
        let fresh = LabelTransformerClassifier(configuration: Self.configuration, seed: 1)
        fresh.setLabelEmbeddings(try fixture.file.floats("embeddings"))
        for name in ["head.label_embedding", "head.state_embedding"] {
            #expect(fresh.state.values(of: name) == (try fixture.file.floats("state/\(name)")))
            #expect(fresh.state.entry(named: name)?.isTrainable == false)
        }
    }

    /// The kernels of the head's transformer layers, attention and readout.
    static let headOps = ["batchedMatmul", "softmaxForward", "softmaxBackward", "linearForward", "linearBackward",
                          "layerNormForward", "layerNormBackward", "reluForwardInPlace", "reluBackwardInPlace",
                          "labelTokenSequence", "labelReadoutForward", "labelReadoutBackward"]

    @Test("Eval logits and dropout-free gradients match torch.nn.TransformerEncoderLayer",
          arguments: TestBackend.allCases)
    func withoutDropout(backendKind: TestBackend) throws {
        let backend = backendKind.make()
        let fixture = try Self.load(backend: backend)
        let logits = fixture.model.headLogits(features: fixture.features, states: fixture.states)
        #expect(relativeError(logits, try fixture.file.floats("eval/logits")) < Self.tolerance)
        let step = fixture.model.headTrainingStep(features: fixture.features, labels: fixture.labels,
                                                  states: fixture.states, dropout: nil)
        #expect(relativeError([step.loss], try fixture.file.floats("plain/loss")) < Self.tolerance)
        #expect(relativeError(step.featureGradient.values, try fixture.file.floats("plain/feature_grad")) < Self.tolerance)
        try Self.expectGradients(step.gradients, fixture, prefix: "plain")
        expectRan(Self.headOps, on: backend)
    }

    @Test("Train mode with PyTorch's dropout masks: logits, loss, every gradient, one AdamW step",
          arguments: TestBackend.allCases)
    func withDropoutAndAdamW(backendKind: TestBackend) throws {
        let backend = backendKind.make()
        let fixture = try Self.load(backend: backend)
        let masks = try (0..<12).map { try fixture.file.floats("train/mask/\($0)") }
        let recorded = RecordedDropoutMasks(masks)
        let step = fixture.model.headTrainingStep(features: fixture.features, labels: fixture.labels,
                                                  states: fixture.states, dropout: recorded)
        #expect(recorded.remaining == 0, "every recorded mask used")
        #expect(relativeError(step.logits, try fixture.file.floats("train/logits")) < Self.tolerance)
        #expect(relativeError([step.loss], try fixture.file.floats("train/loss")) < Self.tolerance)
        #expect(relativeError(step.featureGradient.values, try fixture.file.floats("train/feature_grad")) < Self.tolerance)
        try Self.expectGradients(step.gradients, fixture, prefix: "train")
        var optimizer = AdamW(learningRate: 1e-3, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 0.01,
                              backend: backend)
        var state = fixture.model.state
        optimizer.step(&state, gradients: step.gradients)
        for entry in state.entries where entry.name.hasPrefix("head.") && entry.isTrainable {
            var actual = state.values(of: entry.name)
            var expected = try fixture.file.floats("after/\(entry.name)")
            if entry.name.hasSuffix("in_proj_bias") {
                // The key bias adds the same amount to every score of a query row, which softmax ignores: its
                // gradient is exactly 0 in exact arithmetic, and AdamW turns each side's rounding residue into a
                // full +-lr step. Check that residue is tiny, then compare the query and value biases only.
                let d = entry.count / 3
                let keyGradient = step.gradients.values(of: entry.name)[d..<(2 * d)]
                #expect(keyGradient.allSatisfy { abs($0) < 1e-5 }, "key-bias gradient of \(entry.name) is not ~0")
                actual.removeSubrange(d..<(2 * d))
                expected.removeSubrange(d..<(2 * d))
            }
            let error = relativeError(actual, expected)
            #expect(error < Self.tolerance, "after AdamW, \(entry.name): relative error \(error)")
        }
        expectRan(Self.headOps + ["multiply", "add", "tokensFromFeatureMap", "featureMapFromTokens", "adamWUpdate"],
                  on: backend)
    }

    @Test("Seeded dropout: same seed same masks, about p dropped, kept entries scaled by 1/(1-p)")
    func seededDropout() {
        let first = SeededDropoutMasks(probability: 0.1, random: .init(seed: 5, stream: "dropout"))
        let second = SeededDropoutMasks(probability: 0.1, random: .init(seed: 5, stream: "dropout"))
        let mask = first.mask(count: 10_000) ?? []
        #expect(mask == second.mask(count: 10_000))
        let dropped = mask.filter { $0 == 0 }.count
        #expect((800...1200).contains(dropped), "\(dropped) of 10000 dropped at p 0.1")
        #expect(mask.allSatisfy { $0 == 0 || abs($0 - 1 / 0.9) < 1e-6 })
        #expect(SeededDropoutMasks(probability: 0, random: .init(seed: 5)).mask(count: 3) == nil)
    }
}
