import Federation
import Foundation
import NeuralNet
import Testing

@Suite("ResNet-18 training")
struct ResNetTrainingTests {
    /// A narrow ResNet-18 (stage widths 8/16/32/64, CIFAR stem) on 16 x 16 inputs.
    static func model(head: HeadKind, loss: LossConfiguration = .binaryCrossEntropyOnly) -> ResNetClassifierModel {
        let configuration = ModelConfiguration(classCount: SyntheticImages.classCount, head: head, stem: .cifar,
                                               widthMultiplier: 0.125, inputSize: 16)
        return ResNetClassifierModel(classifier: MultiLabelClassifier(configuration: configuration, seed: 3), loss: loss)
    }

    @Test("Centralized ResNet-18 (mlp head) learns the synthetic labels: validation macro-AUC > 90")
    func centralizedResNetLearns() throws {
        var settings = TrainingSettings()
        settings.rounds = 3
        settings.batchSize = 16
        settings.learningRate = 3e-3
        settings.seed = 3
        var simulation = try FederatedSimulation(
            model: Self.model(head: .mlp), algorithm: Centralized(),
            clients: [Centralized.pooledClient(SyntheticImages.clients(4, size: 40, seed: 1))],
            validation: SyntheticImages.make(count: 60, seed: 2, stream: "validation"), settings: settings,
            optimizer: { AdamW(learningRate: 3e-3) })
        while !simulation.isFinished { simulation.runRound() }
        let aucs = simulation.snapshot.history.map { $0.validation.macroAUC ?? 0 }
        #expect(try #require(simulation.snapshot.bestValidation?.macroAUC) > 90, "validation macro-AUC per round: \(aucs)")
    }

    @Test("FedNCAlign-ML (ladm-etf head, full loss) runs federated rounds; the ETF stays fixed")
    func fedNCAlignRuns() throws {
        var settings = TrainingSettings()
        settings.rounds = 2
        settings.batchSize = 16
        settings.learningRate = 3e-3
        let model = Self.model(head: .ladmETF, loss: LossConfiguration())
        let initialState = model.state
        let initialETF = initialState.values(of: "head.etf")
        var simulation = try FederatedSimulation(
            model: model, algorithm: FedNCAlign(), clients: SyntheticImages.clients(3, size: 24, seed: 1),
            validation: SyntheticImages.make(count: 40, seed: 2, stream: "validation"), settings: settings,
            optimizer: { AdamW(learningRate: 3e-3) })
        while !simulation.isFinished { simulation.runRound() }
        #expect(simulation.snapshot.globalState.values(of: "head.etf") == initialETF)
        #expect(simulation.snapshot.history.allSatisfy { $0.clients.allSatisfy { $0.meanLoss.isFinite } })
        #expect(simulation.snapshot.globalState != initialState)
    }
}
