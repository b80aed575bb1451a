import Foundation
import NeuralNet
import Safetensors
import TensorEngine
import Testing

/// The real-size model (width 1, 224x224 input: the layouts the engine picks for large maps) against PyTorch.
@Suite("NeuralNet full-width ResNet-18 vs PyTorch")
struct FullWidthTests {
    /// The formula of tools/fixtures/make_model_fixtures.py (`formula_value`) for one entry, in Double, rounded
    /// to Float.
    static func formulaValues(_ entry: ParameterSet.Entry, entryIndex: Int) -> [Float] {
        let (scale, offset): (Double, Double)
        var absolute = false
        if entry.name.contains("num_batches") {
            (scale, offset) = (0, 0)
        } else if entry.name.contains("running_var") {
            (scale, offset, absolute) = (0.2, 1, true)
        } else if entry.name.contains("running_mean") {
            (scale, offset) = (0.05, 0)
        } else if entry.shape.count >= 2 {
            (scale, offset) = ((3.0 / Double(entry.shape.dropFirst().reduce(1, *))).squareRoot(), 0)
        } else {
            (scale, offset) = entry.name.hasSuffix("weight") ? (0.1, 1) : (0.1, 0)
        }
        let phase = 0.3 * Double(entryIndex) + 0.1
        return (0..<entry.count).map { (element: Int) -> Float in
            let wave = sin(0.7 * Double(element) + phase)
            return Float(offset + scale * (absolute ? abs(wave) : wave))
        }
    }

    /// Gradients: PyTorch's own float32 run differs from the float64 reference by up to 1.6e-4 here (deep, full
    /// width), so they get 1e-3; forward values 1e-4.
    static let tolerance: Float = 1e-3
    static let forwardTolerance: Float = 1e-4

    @Test("Train step at 224x224, width 1: scores, loss, gradients and running statistics match PyTorch",
          arguments: TestBackend.allCases)
    func matchesPyTorch(backendKind: TestBackend) throws {
        let backend = backendKind.make()
        let file = try Fixtures.open("full_width.safetensors")
        let model = MultiLabelClassifier(configuration: ModelConfiguration(classCount: 4, head: .mlp), seed: 0,
                                         backend: backend)
        var state = model.state
        for (entryIndex, entry) in state.entries.enumerated() {
            state.setValues(of: entry.name, to: Self.formulaValues(entry, entryIndex: entryIndex))
        }
        model.state = state
        let input: [Float] = (0..<(2 * 3 * 224 * 224)).map { (index: Int) -> Float in
            let position = Double(index)
            let value: Double = sin(0.013 * position) + 0.5 * cos(0.0071 * position)
            return Float(value)
        }
        let step = model.trainingStep(input: FeatureMap(batch: 2, channels: 3, height: 224, width: 224, values: input),
                                      labels: [1, 0, 0, 1, 0, 1, 0, 0], loss: .binaryCrossEntropyOnly)
        #expect(relativeError(step.scores.scores, try file.floats("scores")) < Self.forwardTolerance)
        #expect(relativeError([step.terms.total], try file.floats("loss")) < Self.forwardTolerance)
        #expect(relativeError(step.gradients.values(of: "conv1.weight"), try file.floats("grad/conv1.weight")) < Self.tolerance)
        let expectedNorms = try file.floats("grad_norms")
        #expect(expectedNorms.count == step.gradients.entries.count)
        for (entry, expected) in zip(step.gradients.entries, expectedNorms) {
            let squares: Double = step.gradients.values(of: entry.name).reduce(0.0) { (sum: Double, value: Float) in
                sum + Double(value) * Double(value)
            }
            let norm = Float(squares.squareRoot())
            let tolerance = Self.tolerance * max(expected, 1e-3)
            #expect(abs(norm - expected) <= tolerance, "\(entry.name): \(norm) vs \(expected)")
        }
        for name in ["bn1.running_mean", "bn1.running_var", "layer4.1.bn2.running_var"] {
            #expect(relativeError(model.state.values(of: name), try file.floats("after/\(name)")) < Self.forwardTolerance,
                    "\(name)")
        }
        expectRan(["conv2dForward", "conv2dBackward", "batchNorm2dForwardTraining", "batchNorm2dBackward",
                   "maxPool2dForward", "maxPool2dBackward", "linearForward", "layerNormForward", "geluForward"],
                  on: backend)
    }
}
