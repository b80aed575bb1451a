import Federation
import NeuralNet
import Testing

/// Runs `rounds` rounds of `algorithm` on small label-skewed clients with the pooled linear model.
func simulate(_ algorithm: any FederatedAlgorithm, rounds: Int, clients: [LabeledImages]? = nil,
              settings adjust: (inout TrainingSettings) -> Void = { _ in }) throws -> FederatedSimulation<PooledLinearModel> {
    var settings = TrainingSettings()
    settings.rounds = rounds
    settings.batchSize = 8
    settings.learningRate = 0.05
    settings.seed = 5
    adjust(&settings)
    let learningRate = settings.learningRate
    var simulation = try FederatedSimulation(
        model: PooledLinearModel(classCount: SyntheticImages.classCount, seed: settings.seed),
        algorithm: algorithm,
        clients: clients ?? SyntheticImages.clients(4, size: 24, seed: 1),
        validation: SyntheticImages.make(count: 60, seed: 2, stream: "validation"),
        settings: settings,
        optimizer: { AdamW(learningRate: learningRate) })
    while !simulation.isFinished { simulation.runRound() }
    return simulation
}

@Suite("Algorithms")
struct AlgorithmTests {
    @Test("FedProx with mu = 0 is FedAvg; with mu > 0 it differs and stays closer to the global model")
    func fedProxReducesToFedAvg() throws {
        let fedAvg = try simulate(FedAvg(), rounds: 2)
        let proxZero = try simulate(FedProx(mu: 0), rounds: 2)
        #expect(proxZero.snapshot.globalState == fedAvg.snapshot.globalState)
        let strongProx = try simulate(FedProx(mu: 50), rounds: 1)
        let oneRoundAvg = try simulate(FedAvg(), rounds: 1)
        let initial = PooledLinearModel(classCount: 3, seed: 5).state
        let proxDrift = (strongProx.snapshot.globalState - initial).squaredNorm(onlyTrainable: true)
        let avgDrift = (oneRoundAvg.snapshot.globalState - initial).squaredNorm(onlyTrainable: true)
        #expect(proxDrift < avgDrift)
    }

    @Test("SCAFFOLD's first round (zero control variates) equals FedAvg's; later rounds do not")
    func scaffoldFirstRoundIsFedAvg() throws {
        let scaffold = try simulate(Scaffold(clientCount: 4), rounds: 1)
        let fedAvg = try simulate(FedAvg(), rounds: 1)
        #expect(scaffold.snapshot.globalState == fedAvg.snapshot.globalState)
        let scaffoldTwo = try simulate(Scaffold(clientCount: 4), rounds: 2)
        let fedAvgTwo = try simulate(FedAvg(), rounds: 2)
        #expect(scaffoldTwo.snapshot.globalState != fedAvgTwo.snapshot.globalState)
    }

    @Test("SCAFFOLD option II control variates by hand")
    func scaffoldControlVariates() throws {
        let layout = ParameterSet(layout: [(name: "w", shape: [2], isTrainable: true),
                                           (name: "buffer", shape: [1], isTrainable: false)])
        var global = layout
        global.values = [1, 2, 7]
        var local0 = layout, local1 = layout
        local0.values = [0, 0, 5]  // x - y = (1, 2)
        local1.values = [1, 4, 3]  // x - y = (0, -2)
        var scaffold = Scaffold(clientCount: 4)
        let next = scaffold.aggregate(
            global: global,
            outcomes: [ClientOutcome(client: 0, parameters: local0, sampleCount: 1, localSteps: 2, meanLoss: 0,
                                     squaredGradientMean: nil),
                       ClientOutcome(client: 2, parameters: local1, sampleCount: 3, localSteps: 4, meanLoss: 0,
                                     squaredGradientMean: nil)],
            weights: [1, 3], learningRate: 0.5)
        #expect(next.values == [0.75, 3, 3.5])
        // c_0 = (1, 2) / (2 * 0.5) = (1, 2); c_2 = (0, -2) / (4 * 0.5) = (0, -1); c = (1, 1) / 4.
        let state = scaffold.checkpointState()
        #expect(state["client-control/0"]?.values == [1, 2, 0])
        #expect(state["client-control/2"]?.values == [0, -1, 0])
        #expect(state["server-control"]?.values == [0.25, 0.25, 0])
        // Client 0's next gradient: g + c - c_0.
        var gradients = layout
        gradients.values = [10, 10, 0]
        scaffold.adjustLocalGradients(&gradients, parameters: global, global: global, client: 0)
        #expect(gradients.values == [9.25, 8.25, 0])
    }

    @Test("FedCurv penalises the other clients' Fisher-weighted distances only")
    func fedCurvGradientTerm() throws {
        let layout = ParameterSet(layout: [(name: "w", shape: [2], isTrainable: true),
                                           (name: "buffer", shape: [1], isTrainable: false)])
        func set(_ values: [Float]) -> ParameterSet {
            var result = layout
            result.values = values
            return result
        }
        var fedCurv = FedCurv(lambda: 0.5)
        _ = fedCurv.aggregate(
            global: set([0, 0, 0]),
            outcomes: [ClientOutcome(client: 0, parameters: set([1, 2, 0]), sampleCount: 1, localSteps: 1,
                                     meanLoss: 0, squaredGradientMean: set([3, 4, 0])),
                       ClientOutcome(client: 1, parameters: set([-1, 5, 0]), sampleCount: 1, localSteps: 1,
                                     meanLoss: 0, squaredGradientMean: set([2, 1, 0]))],
            weights: [1, 1], learningRate: 1)
        // Client 0 at w = (2, 2): 2 * 0.5 * F_1 * (w - w_1) = (2 * 3, 1 * -3).
        var gradients = set([0, 0, 0])
        fedCurv.adjustLocalGradients(&gradients, parameters: set([2, 2, 9]), global: set([0, 0, 0]), client: 0)
        #expect(gradients.values == [6, -3, 0])
        // A client that never took part sees both terms.
        var fresh = set([0, 0, 0])
        fedCurv.adjustLocalGradients(&fresh, parameters: set([0, 0, 0]), global: set([0, 0, 0]), client: 3)
        // 2 * 0.5 * (0 - (F_0 w_0 + F_1 w_1)) = -(3 * 1 + 2 * -1, 4 * 2 + 1 * 5).
        let expected: [Float] = [-1, -13, 0]
        #expect(fresh.values == expected)
        // Checkpoint round trip keeps the terms.
        var restored = FedCurv(lambda: 0.5)
        try restored.restoreState(fedCurv.checkpointState())
        var again = set([0, 0, 0])
        restored.adjustLocalGradients(&again, parameters: set([2, 2, 9]), global: set([0, 0, 0]), client: 0)
        #expect(again.values == gradients.values)
    }

    @Test("FedCurv trains and differs from FedAvg from round 2")
    func fedCurvRuns() throws {
        let fedCurv = try simulate(FedCurv(lambda: 0.1), rounds: 2)
        let fedAvg = try simulate(FedAvg(), rounds: 2)
        #expect(fedCurv.snapshot.globalState != fedAvg.snapshot.globalState)
        #expect(fedCurv.snapshot.history.allSatisfy { $0.validation.macroAUC != nil })
    }

    @Test("Equal shards with sample-count weights aggregate to the plain mean")
    func equalShardsArePlainMean() throws {
        let layout = ParameterSet(layout: [(name: "w", shape: [3], isTrainable: true)])
        let parts: [[Float]] = [[1, 2, 3], [4, 8, 16], [-2, 0.5, 1]]
        var fedAvg = FedAvg()
        let outcomes = parts.enumerated().map { index, values in
            var parameters = layout
            parameters.values = values
            return ClientOutcome(client: index, parameters: parameters, sampleCount: 40, localSteps: 1,
                                 meanLoss: 0, squaredGradientMean: nil)
        }
        let mean = fedAvg.aggregate(global: layout, outcomes: outcomes, weights: [40, 40, 40], learningRate: 1)
        for index in 0..<3 {
            let plain = parts.map { Double($0[index]) }.reduce(0, +) / 3
            #expect(abs(Double(mean.values[index]) - plain) < 1e-6)
        }
        let skewed = fedAvg.aggregate(global: layout, outcomes: outcomes, weights: [10, 40, 70], learningRate: 1)
        #expect(skewed != mean)
    }

    @Test("Batch-norm running statistics are averaged with the parameters")
    func runningStatisticsAreAveraged() throws {
        let clients = SyntheticImages.clients(3, size: 20, seed: 9)
        let simulation = try simulate(FedAvg(), rounds: 1, clients: clients)
        // Recompute each client's local model and the sample-weighted mean of their running means.
        var settings = simulation.settings
        settings.rounds = 1
        let initial = PooledLinearModel(classCount: 3, seed: settings.seed)
        var localMeans = [[Float]]()
        for (index, client) in clients.enumerated() {
            var model = initial
            _ = LocalTraining(settings: settings).run(
                model: &model, data: client, client: index, round: 1, global: initial.state, algorithm: FedAvg(),
                optimizer: { AdamW(learningRate: settings.learningRate) })
            localMeans.append(model.state.values(of: "norm.running_mean"))
        }
        let total = Double(clients.map(\.count).reduce(0, +))
        let global = simulation.snapshot.globalState.values(of: "norm.running_mean")
        #expect(global.contains { $0 != 0 })
        for feature in global.indices {
            let expected = zip(localMeans, clients).map { Double($0[feature]) * Double($1.count) }.reduce(0, +) / total
            #expect(abs(Double(global[feature]) - expected) < 1e-6)
            #expect(localMeans.contains { abs(Double($0[feature]) - expected) > 1e-4 })
        }
    }

    @Test("Partial participation draws a seeded subset per round")
    func participation() {
        let first = ClientSelection.participants(round: 1, clientCount: 10, fraction: 0.3, seed: 4)
        #expect(first.count == 3 && first == first.sorted() && Set(first).count == 3)
        #expect(first == ClientSelection.participants(round: 1, clientCount: 10, fraction: 0.3, seed: 4))
        let rounds = (1...6).map { ClientSelection.participants(round: $0, clientCount: 10, fraction: 0.3, seed: 4) }
        #expect(Set(rounds).count > 1)
        #expect(ClientSelection.participants(round: 3, clientCount: 10, fraction: 1, seed: 4) == Array(0..<10))
        #expect(ClientSelection.participants(round: 3, clientCount: 10, fraction: 0.01, seed: 4).count == 1)
    }

    @Test("A simulation trains only the round's participants; --equal-weights averages them plainly")
    func participationInSimulation() throws {
        let simulation = try simulate(FedAvg(), rounds: 3) { settings in
            settings.participation = 0.5
            settings.equalWeights = true
        }
        for record in simulation.snapshot.history {
            let expected = ClientSelection.participants(round: record.round, clientCount: 4, fraction: 0.5, seed: 5)
            #expect(record.clients.map(\.client) == expected)
        }
        // Round 1 by hand: the plain mean of the two participants' local models.
        let clients = SyntheticImages.clients(4, size: 24, seed: 1)
        var settings = simulation.settings
        settings.rounds = 1
        let initial = PooledLinearModel(classCount: 3, seed: settings.seed)
        let participants = ClientSelection.participants(round: 1, clientCount: 4, fraction: 0.5, seed: 5)
        let locals = participants.map { client in
            var model = initial
            return LocalTraining(settings: settings).run(
                model: &model, data: clients[client], client: client, round: 1, global: initial.state,
                algorithm: FedAvg(), optimizer: { AdamW(learningRate: settings.learningRate) }).parameters
        }
        let oneRound = try simulate(FedAvg(), rounds: 1) { settings in
            settings.participation = 0.5
            settings.equalWeights = true
        }
        #expect(clients[participants[0]].count != clients[participants[1]].count)
        #expect(oneRound.snapshot.globalState == ParameterSet.weightedMean(locals, weights: [1, 1]))
    }

    @Test("Centralized training on learnable data reaches validation macro-AUC > 90")
    func centralizedLearns() throws {
        let pooled = Centralized.pooledClient(SyntheticImages.clients(4, size: 40, seed: 1))
        let simulation = try simulate(Centralized(), rounds: 3, clients: [pooled])
        let best = try #require(simulation.snapshot.bestValidation?.macroAUC)
        #expect(best > 90)
        #expect(simulation.snapshot.history.count == 3)
    }

    @Test("SphereFed's calibrated head fits the labels from feature statistics")
    func sphereFedCalibration() throws {
        let clients = SyntheticImages.clients(3, size: 40, seed: 1)
        let simulation = try simulate(SphereFed(), rounds: 2, clients: clients)
        let head = try SphereFed().calibratedHead(model: simulation.model, clients: clients, batchSize: 16)
        let validation = SyntheticImages.make(count: 60, seed: 2, stream: "validation")
        let metrics = Evaluation.metrics(model: simulation.model, data: validation, batchSize: 16, calibratedHead: head)
        #expect((metrics.macroAUC ?? 0) > 85)
        // Statistics add up across clients: one client holding everything gives the same head.
        let union = try SphereFed().calibratedHead(model: simulation.model,
                                                   clients: [LabeledImages.concatenating(clients)], batchSize: 16)
        for (a, b) in zip(head.weight, union.weight) { #expect(abs(a - b) < 1e-6 * max(1, abs(a))) }
    }
}
