import Federation
import Foundation
import NeuralNet
import Safetensors
import Testing

/// One federated round of FedProx and SCAFFOLD against PyTorch (tools/fixtures/make_round_fixtures.py; the files
/// sit with NeuralNetTests' round fixtures, see RoundParityTests there): two clients, a few AdamW steps each over
/// given batches with the method's gradient term (`adjustLocalGradients`) and client half (`finishLocalTraining`),
/// then the method's `aggregate`.
/// Checked: every step's loss, the aggregated state and, for SCAFFOLD, the server and client control variates
/// after the round (starting from non-zero controls, N = 3 clients of which 2 take part).
@Suite("FedProx and SCAFFOLD rounds vs PyTorch")
struct AlgorithmRoundParityTests {
    struct RoundConfiguration: Decodable {
        var classCount: Int
        var widthMultiplier: Double
        var inputSize: Int
        var learningRate: Float
        var weights: [Double]
        var algorithm: String
        var mu: Float
        var clientCount: Int
    }

    /// As NeuralNetTests' RoundParityTests (float64 reference, FedNC in float32).
    static let tolerance: Float = 1e-4
    /// For SCAFFOLD's control variates: `(x - y_i) / (K lr)` divides a float32 difference of nearly equal weights
    /// (|x - y_i| ~ 1e-3 |x|) by 3e-3, so float32 cancellation alone gives ~1e-4 relative (measured <= 3.4e-4).
    static let controlTolerance: Float = 1e-3

    static func fixture(_ name: String) throws -> SafetensorsFile {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return try SafetensorsFile(contentsOf: tests.appendingPathComponent("NeuralNetTests/Fixtures/\(name).safetensors"))
    }

    /// `max |a - e| / max |e|`, leaving out the key third of the attention's in-projection bias (its gradient is
    /// exactly zero, so float32 rounding alone moves it through AdamW; see RoundParityTests.comparable).
    static func error(_ name: String, _ actual: [Float], _ expected: [Float]) -> Float {
        let keep: (Int) -> Bool = name == "head.attention.in_proj_bias"
            ? { index in index < actual.count / 3 || index >= 2 * actual.count / 3 } : { _ in true }
        var difference: Float = 0
        var scale: Float = 1e-6
        for index in actual.indices where keep(index) {
            difference = max(difference, abs(actual[index] - expected[index]))
            scale = max(scale, abs(expected[index]))
        }
        return difference / scale
    }

    static func load(_ file: SafetensorsFile, prefix: String, like layout: ParameterSet, trainableOnly: Bool)
        throws -> ParameterSet {
        var set = ParameterSet.zeros(like: layout)
        for entry in set.entries where entry.isTrainable || !trainableOnly {
            set.setValues(of: entry.name, to: try file.array(of: Float.self, "\(prefix)\(entry.name)"))
        }
        return set
    }

    @Test("FedProx and SCAFFOLD rounds equal PyTorch's (losses, aggregated state, control variates)",
          arguments: ["round_fedprox", "round_scaffold"])
    func roundMatchesPyTorch(name: String) throws {
        let file = try Self.fixture(name)
        let configuration = try JSONDecoder().decode(RoundConfiguration.self,
                                                     from: Data(try #require(file.metadata["config"]).utf8))
        let model = MultiLabelClassifier(
            configuration: ModelConfiguration(classCount: configuration.classCount, head: .ladmETF, stem: .cifar,
                                              widthMultiplier: configuration.widthMultiplier,
                                              inputSize: configuration.inputSize),
            seed: 1)
        let global = try Self.load(file, prefix: "initial/", like: model.state, trainableOnly: false)
        var method: any FederatedMethod
        var clientControls = [Int: ParameterSet]()
        if configuration.algorithm == "scaffold" {
            var scaffold = Scaffold(clientCount: configuration.clientCount)
            try scaffold.restoreState([
                "server-control": try Self.load(file, prefix: "control/server/", like: global, trainableOnly: true),
            ])
            method = scaffold
            // SCAFFOLD's client controls are client state: each client keeps its own and reads it at its next round.
            for client in configuration.weights.indices {
                clientControls[client] = try Self.load(file, prefix: "control/\(client)/", like: global, trainableOnly: true)
            }
        } else {
            method = FedProx(mu: configuration.mu)
        }
        let size = configuration.inputSize
        let (imageBytes, classes) = (size * size * 3, configuration.classCount)
        var replies = [ClientReply]()
        var controlsAfter = [Int: ParameterSet]()
        for client in configuration.weights.indices {
            model.state = global
            let context = ClientContext(client: client, global: global, messageSets: method.messageSets(for: client),
                                        clientState: clientControls[client].map { ["client-control": $0] } ?? [:],
                                        learningRate: configuration.learningRate)
            var optimizer = AdamW(learningRate: configuration.learningRate)
            let pixels = try file.array(of: UInt8.self, "images/\(client)")
            let labels = try file.array(of: Float.self, "labels/\(client)")
            let order = try file.array(of: Float.self, "batches/\(client)")
            let width = try file.info("batches/\(client)").shape[1]
            let expectedLosses = try file.array(of: Float.self, "loss/\(client)")
            for step in expectedLosses.indices {
                let indices = order[(step * width)..<((step + 1) * width)].filter { $0 >= 0 }.map { Int($0) }
                let images = ImageBatch(count: indices.count, height: size, width: size, channels: 3,
                                        pixels: indices.flatMap { pixels[($0 * imageBytes)..<(($0 + 1) * imageBytes)] })
                var (loss, gradients) = model.lossAndGradients(
                    images: images, labels: indices.flatMap { labels[($0 * classes)..<(($0 + 1) * classes)] },
                    loss: .binaryCrossEntropyOnly)
                #expect(abs(loss - expectedLosses[step]) <= Self.tolerance * abs(expectedLosses[step]),
                        "\(name) client \(client) step \(step): \(loss) vs \(expectedLosses[step])")
                method.adjustLocalGradients(&gradients, parameters: model.state, context: context)
                optimizer.step(&model.state, gradients: gradients)
            }
            let outcome = LocalOutcome(parameters: model.state, sampleCount: Int(configuration.weights[client]),
                                       localSteps: expectedLosses.count, meanLoss: 0)
            let (replySets, clientState) = method.finishLocalTraining(outcome, context: context)
            controlsAfter[client] = clientState["client-control"]
            replies.append(ClientReply(client: client, parameters: model.state, sampleCount: outcome.sampleCount,
                                       localSteps: outcome.localSteps, meanLoss: 0, sets: replySets))
        }
        let next = method.aggregate(global: global, replies: replies, weights: configuration.weights)
        var expected = [("global/", next, false, Self.tolerance)]
        if configuration.algorithm == "scaffold" {
            let state = method.checkpointState()
            expected += [("control_after/server/", try #require(state["server-control"]), true, Self.controlTolerance),
                         ("control_after/0/", try #require(controlsAfter[0]), true, Self.controlTolerance),
                         ("control_after/1/", try #require(controlsAfter[1]), true, Self.controlTolerance)]
        }
        for (prefix, actual, trainableOnly, tolerance) in expected {
            for entry in actual.entries where entry.isTrainable || !trainableOnly {
                var reference = try file.array(of: Float.self, "\(prefix)\(entry.name)")
                // The float64 reference averages the batch-norm counters as reals; FedNC keeps them whole numbers
                // (PyTorch's num_batches_tracked is int64), rounding the weighted mean.
                if entry.name.hasSuffix("num_batches_tracked") { reference = reference.map { $0.rounded() } }
                let error = Self.error(entry.name, actual.values(of: entry.name), reference)
                #expect(error < tolerance, "\(name) \(prefix)\(entry.name): \(error)")
            }
        }
    }
}
