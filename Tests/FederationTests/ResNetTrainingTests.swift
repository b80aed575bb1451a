import Federation
import Foundation
import NeuralNet
import Testing

@Suite("ResNet-18 training")
struct ResNetTrainingTests {
    /// Trains `method` on a narrow ResNet-18 (stage widths 8/16/32/64, CIFAR stem, 16 x 16 inputs) through the
    /// step loop; returns the configuration and the final checkpoint's snapshot.
    static func train(_ method: String, rounds: Int, clients: [LabeledImages], validationCount: Int,
                      etfTraining: ETFTraining = .fixed) throws -> (RunConfiguration, RunSnapshot) {
        try FixtureRun.train(clients: clients, validationCount: validationCount, testCount: 20) { folder, shards in
            var training = TrainingSettings()
            training.rounds = rounds
            training.batchSize = 16
            training.learningRate = 3e-3
            training.seed = 3
            return RunConfiguration(
                shards: folder.path, shardManifestSHA256: shards.manifestSHA256, method: method, model: .resnet18,
                modelConfiguration: ModelConfiguration(classCount: SyntheticImages.classCount,
                                                       head: try MethodRegistry.method(named: method).head,
                                                       stem: .cifar, widthMultiplier: 0.125, inputSize: 16,
                                                       etfTraining: etfTraining),
                loss: LossConfiguration(), training: training)
        }
    }

    @Test("Centralized ResNet-18 (mlp head) learns the synthetic labels: validation macro-AUC > 90")
    func centralizedResNetLearns() throws {
        let (_, snapshot) = try Self.train("centralized", rounds: 3, clients: SyntheticImages.clients(4, size: 40, seed: 1),
                                           validationCount: 60)
        let aucs = snapshot.history.map { $0.validation.macroAUC ?? 0 }
        #expect(try #require(snapshot.bestValidation?.macroAUC) > 90, "validation macro-AUC per round: \(aucs)")
    }

    @Test("FedNCAlign-ML (ladm-etf head, full loss) runs federated rounds; the ETF stays fixed")
    func fedNCAlignRuns() throws {
        let (configuration, snapshot) = try Self.train("fedncalign", rounds: 2,
                                                       clients: SyntheticImages.clients(3, size: 24, seed: 1),
                                                       validationCount: 40)
        let initialState = try ModelFactory.make(configuration, classCount: SyntheticImages.classCount,
                                                 loadingPretrained: false).state
        #expect(snapshot.globalState.values(of: "head.etf") == initialState.values(of: "head.etf"))
        #expect(snapshot.history.allSatisfy { $0.clients.allSatisfy { $0.meanLoss.isFinite } })
        #expect(snapshot.globalState != initialState)
    }

    @Test("--etf-training authors-untied: the global ETF moves and equals the averaged queries after every round")
    func authorsUntiedAggregation() throws {
        let (configuration, snapshot) = try Self.train("fedncalign", rounds: 2,
                                                       clients: SyntheticImages.clients(3, size: 24, seed: 1),
                                                       validationCount: 40, etfTraining: .authorsUntied)
        let initialState = try ModelFactory.make(configuration, classCount: SyntheticImages.classCount,
                                                 loadingPretrained: false).state
        let etf = snapshot.globalState.values(of: "head.etf")
        #expect(etf == snapshot.globalState.values(of: "head.etf_queries"))
        #expect(etf != initialState.values(of: "head.etf"))
    }
}
