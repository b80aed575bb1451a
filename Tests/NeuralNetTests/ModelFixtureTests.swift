import Foundation
import NeuralNet
import Safetensors
import TensorEngine
import Testing

/// The full model (backbone + head + losses, forward and backward, train and eval mode) against PyTorch.
@Suite("NeuralNet model vs PyTorch fixtures")
struct ModelFixtureTests {
    struct FixtureConfiguration: Decodable {
        var classCount: Int
        var head: HeadKind
        var stem: StemKind
        var widthMultiplier: Double
        var inputSize: Int
        var queries: QueryMode
        var useLADM: Bool
        var lambdaRejection: Float
        var lambdaContrastive: Float
    }

    static let tolerance: Float = 1e-4

    @Test("Train step and eval forward match PyTorch",
          arguments: ["model_ladm_learnable", "model_ladm_fixed", "model_no_ladm", "model_mlp", "model_sphere"],
          TestBackend.allCases)
    func matchesPyTorch(name: String, backendKind: TestBackend) throws {
        let backend = backendKind.make()
        let file = try Fixtures.open("\(name).safetensors")
        let json = try #require(file.metadata["config"])
        let configuration = try JSONDecoder().decode(FixtureConfiguration.self, from: Data(json.utf8))
        let model = MultiLabelClassifier(
            configuration: ModelConfiguration(classCount: configuration.classCount, head: configuration.head,
                                              stem: configuration.stem,
                                              widthMultiplier: configuration.widthMultiplier,
                                              inputSize: configuration.inputSize, queries: configuration.queries,
                                              useLADM: configuration.useLADM, logitScale: .learnable),
            seed: 1, backend: backend)
        // Same names and shapes as the PyTorch mirror (torchvision names + head names).
        let fixtureNames = Set(file.tensorNames.filter { $0.hasPrefix("state/") }.map { String($0.dropFirst(6)) })
        #expect(Set(model.state.entries.map(\.name)) == fixtureNames)
        var state = model.state
        for entry in state.entries {
            let values = try file.floats("state/\(entry.name)")
            #expect(try file.info("state/\(entry.name)").shape.reduce(1, *) == entry.count, "\(entry.name)")
            if entry.name == "head.etf" {
                #expect(relativeError(state.values(of: entry.name), values) < 1e-6, "ETF differs from PyTorch's")
            }
            state.setValues(of: entry.name, to: values)
        }
        model.state = state

        let input = try file.floats("input")
        let size = configuration.inputSize
        let batch = input.count / (3 * size * size)
        let map = FeatureMap(batch: batch, channels: 3, height: size, width: size, values: input)
        let loss = LossConfiguration(lambdaRejection: configuration.lambdaRejection,
                                     lambdaContrastive: configuration.lambdaContrastive)
        let step = model.trainingStep(input: map, labels: try file.floats("labels"), loss: loss)

        #expect(relativeError(step.scores.scores, try file.floats("scores")) < Self.tolerance)
        #expect(relativeError([step.terms.binaryCrossEntropy], try file.floats("loss/bce")) < Self.tolerance)
        #expect(relativeError([step.terms.rejection], try file.floats("loss/rej")) < Self.tolerance)
        #expect(relativeError([step.terms.contrastive], try file.floats("loss/con")) < Self.tolerance)
        #expect(relativeError([step.terms.total], try file.floats("loss/total")) < Self.tolerance)
        var worst: (name: String, error: Float) = ("", 0)
        for entry in step.gradients.entries {
            let actual = step.gradients.values(of: entry.name)
            if entry.isTrainable {
                let error = relativeError(actual, try file.floats("grad/\(entry.name)"))
                if error > worst.error { worst = (entry.name, error) }
            } else {
                #expect(actual.allSatisfy { $0 == 0 }, "buffer \(entry.name) got a gradient")
            }
        }
        #expect(worst.error < Self.tolerance, "largest gradient error \(worst.error) in \(worst.name)")
        for entry in model.state.entries where entry.name.contains("running_") || entry.name.contains("num_batches") {
            let error = relativeError(model.state.values(of: entry.name), try file.floats("after/\(entry.name)"))
            #expect(error < Self.tolerance, "\(entry.name) after the step: \(error)")
        }
        let evaluation = model.evaluationScores(input: map)
        #expect(relativeError(evaluation.scores, try file.floats("eval_scores")) < Self.tolerance)
        expectRan(["conv2dForward", "conv2dBackward", "batchNorm2dForwardTraining", "batchNorm2dForwardInference",
                   "batchNorm2dBackward", "reluForwardInPlace", "reluBackwardInPlace", "addReluInPlace", "addInPlace",
                   "tensor"], on: backend)
    }
}
