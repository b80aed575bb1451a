import Foundation
import NeuralNet
import Safetensors
import TensorEngine
import Testing

@Suite("NeuralNet losses")
struct LossTests {
    static func scores(from file: SafetensorsFile, variant: String) throws -> (HeadScores, [Float]) {
        let scoreInfo = try file.info("\(variant)/scores")
        let featureInfo = try file.info("\(variant)/features")
        let (batch, classes, columns) = (scoreInfo.shape[0], scoreInfo.shape[1], scoreInfo.shape[2])
        let scores = HeadScores(batch: batch, classes: classes, columns: columns,
                                scores: try file.floats("\(variant)/scores"),
                                features: try file.floats("\(variant)/features"), featureRows: featureInfo.shape[1],
                                featureDimension: featureInfo.shape[2],
                                prototypes: try file.floats("\(variant)/prototypes"))
        return (scores, try file.floats("\(variant)/labels"))
    }

    @Test("Each loss term and its gradients match PyTorch", arguments: ["ladm", "pooled"])
    func matchesPyTorch(variant: String) throws {
        let file = try Fixtures.open("losses.safetensors")
        let (scores, labels) = try Self.scores(from: file, variant: variant)
        let cases: [(String, LossConfiguration)] = [
            ("bce", .binaryCrossEntropyOnly),
            ("rej", LossConfiguration(lambdaRejection: 1, lambdaContrastive: 0)),
            ("con", LossConfiguration(lambdaRejection: 0, lambdaContrastive: 1)),
            ("total", LossConfiguration(lambdaRejection: 0.5, lambdaContrastive: 2)),
        ]
        for (term, configuration) in cases {
            let result = MultiLabelLoss.evaluate(scores, labels: labels, configuration: configuration,
                                                 backend: CPUBackend())
            let value: Float = switch term {
            case "bce": result.terms.binaryCrossEntropy
            case "rej": result.terms.rejection
            case "con": result.terms.contrastive
            default: result.terms.total
            }
            var scoreGradient = result.scoreGradient
            var featureGradient = result.featureGradient
            if term != "total" && term != "bce" {
                // Single-term fixtures hold only that term's gradient: remove BCE's part.
                let bce = MultiLabelLoss.evaluate(scores, labels: labels, configuration: .binaryCrossEntropyOnly,
                                                  backend: CPUBackend())
                for index in scoreGradient.indices { scoreGradient[index] -= bce.scoreGradient[index] }
                for index in featureGradient.indices { featureGradient[index] -= bce.featureGradient[index] }
            }
            #expect(relativeError([value], try file.floats("\(variant)/\(term)/value")) < 1e-5, "\(term)")
            #expect(relativeError(scoreGradient, try file.floats("\(variant)/\(term)/dscores")) < 1e-4, "\(term)")
            #expect(relativeError(featureGradient, try file.floats("\(variant)/\(term)/dfeatures")) < 1e-4, "\(term)")
        }
    }

    @Test("Loss gradients match central finite differences", arguments: ["ladm", "pooled"])
    func finiteDifferences(variant: String) throws {
        let file = try Fixtures.open("losses.safetensors")
        let (scores, labels) = try Self.scores(from: file, variant: variant)
        let configuration = LossConfiguration(lambdaRejection: 0.7, lambdaContrastive: 1.3)
        let analytic = MultiLabelLoss.evaluate(scores, labels: labels, configuration: configuration,
                                               backend: CPUBackend())
        let epsilon: Float = 5e-3
        func loss(_ modified: HeadScores) -> Float {
            MultiLabelLoss.evaluate(modified, labels: labels, configuration: configuration, backend: CPUBackend())
                .terms.total
        }
        var checked = 0
        for index in stride(from: 0, to: scores.scores.count, by: 3) {
            var plus = scores, minus = scores
            plus.scores[index] += epsilon
            minus.scores[index] -= epsilon
            let numeric = (loss(plus) - loss(minus)) / (2 * epsilon)
            #expect(abs(numeric - analytic.scoreGradient[index]) <= 2e-3 + 1e-2 * abs(numeric), "score \(index)")
            checked += 1
        }
        for index in stride(from: 0, to: scores.features.count, by: 5) {
            var plus = scores, minus = scores
            plus.features[index] += epsilon
            minus.features[index] -= epsilon
            let numeric = (loss(plus) - loss(minus)) / (2 * epsilon)
            #expect(abs(numeric - analytic.featureGradient[index]) <= 2e-3 + 1e-2 * abs(numeric), "feature \(index)")
            checked += 1
        }
        #expect(checked > 10)
        #expect(analytic.terms.rejection > 0 && analytic.terms.contrastive > 0, "fixture exercises every term")
    }

    @Test("Rejection counts only the N_pos largest negatives, above tau")
    func rejectionSelection() {
        // One sample, 4 classes, one score column: class 0 positive, negatives with logits 2, 0, -3.
        let scores = HeadScores(batch: 1, classes: 4, columns: 1, scores: [5, 2, 0, -3], features: [], featureRows: 0,
                                featureDimension: 4, prototypes: nil)
        let result = MultiLabelLoss.evaluate(scores, labels: [1, 0, 0, 0],
                                             configuration: LossConfiguration(lambdaRejection: 1, lambdaContrastive: 0),
                                             backend: CPUBackend())
        let sigmoid2: Float = 1 / (1 + expf(-2))
        #expect(abs(result.terms.rejection - (sigmoid2 - 0.3)) < 1e-6)
        #expect(result.scoreGradient[2] == 1 / (1 + expf(0)) - 0, "only BCE acts on the unselected negative")
    }
}
