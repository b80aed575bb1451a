import Federation
import Foundation
import NeuralNet
import Testing

/// Runs `rounds` rounds of `method` through `FederatedRun` (the step loop) on small label-skewed clients with the
/// pooled linear model (batch 8, lr 0.05, seed 5); returns the final checkpoint's snapshot.
func simulate(_ method: String, rounds: Int, clients: [LabeledImages]? = nil,
              adjust: (inout RunConfiguration) -> Void = { _ in }) throws -> RunSnapshot {
    try FixtureRun.train(clients: clients ?? SyntheticImages.clients(4, size: 24, seed: 1), validationCount: 60,
                         testCount: 60) { folder, shards in
        var training = simulatedSettings()
        training.rounds = rounds
        var configuration = RunConfiguration(
            shards: folder.path, shardManifestSHA256: shards.manifestSHA256, method: method, model: .linear,
            modelConfiguration: ModelConfiguration(classCount: SyntheticImages.classCount,
                                                   head: try MethodRegistry.method(named: method).head),
            loss: LossConfiguration(), training: training)
        adjust(&configuration)
        return configuration
    }.snapshot
}

/// Local training settings of `simulate` for one round (batch 8, lr 0.05, seed 5).
func simulatedSettings() -> TrainingSettings {
    var settings = TrainingSettings()
    settings.rounds = 1
    settings.batchSize = 8
    settings.learningRate = 0.05
    settings.seed = 5
    return settings
}

@Suite("Algorithms")
struct AlgorithmTests {
    @Test("FedProx with mu = 0 is FedAvg; with mu > 0 it differs and stays closer to the global model")
    func fedProxReducesToFedAvg() throws {
        let fedAvg = try simulate("fedavg", rounds: 2)
        let proxZero = try simulate("fedprox", rounds: 2) { $0.mu = 0 }
        #expect(proxZero.globalState == fedAvg.globalState)
        let strongProx = try simulate("fedprox", rounds: 1) { $0.mu = 50 }
        let oneRoundAvg = try simulate("fedavg", rounds: 1)
        let initial = PooledLinearModel(classCount: 3, seed: 5).state
        let proxDrift = (strongProx.globalState - initial).squaredNorm(onlyTrainable: true)
        let avgDrift = (oneRoundAvg.globalState - initial).squaredNorm(onlyTrainable: true)
        #expect(proxDrift < avgDrift)
    }

    @Test("SCAFFOLD's first round (zero control variates) equals FedAvg's; later rounds do not")
    func scaffoldFirstRoundIsFedAvg() throws {
        let scaffold = try simulate("scaffold", rounds: 1)
        let fedAvg = try simulate("fedavg", rounds: 1)
        #expect(scaffold.globalState == fedAvg.globalState)
        let scaffoldTwo = try simulate("scaffold", rounds: 2)
        let fedAvgTwo = try simulate("fedavg", rounds: 2)
        #expect(scaffoldTwo.globalState != fedAvgTwo.globalState)
    }

    @Test("SCAFFOLD option II control variates by hand: client state, reply change, server control")
    func scaffoldControlVariates() throws {
        let layout = ParameterSet(layout: [(name: "w", shape: [2], isTrainable: true),
                                           (name: "buffer", shape: [1], isTrainable: false)])
        var global = layout
        global.values = [1, 2, 7]
        var local0 = layout, local1 = layout
        local0.values = [0, 0, 5]  // x - y = (1, 2)
        local1.values = [1, 4, 3]  // x - y = (0, -2)
        var scaffold = Scaffold(clientCount: 4)
        func finish(_ client: Int, _ local: ParameterSet, steps: Int) -> (ClientReply, [String: ParameterSet]) {
            let context = ClientContext(client: client, global: global, messageSets: scaffold.messageSets(for: client),
                                        learningRate: 0.5)
            let finished = scaffold.finishLocalTraining(
                LocalOutcome(parameters: local, sampleCount: 1, localSteps: steps, meanLoss: 0), context: context)
            return (ClientReply(client: client, parameters: local, sampleCount: 1, localSteps: steps, meanLoss: 0,
                                sets: finished.replySets), finished.clientState)
        }
        let (reply0, state0) = finish(0, local0, steps: 2)
        let (reply2, state2) = finish(2, local1, steps: 4)
        // c_0 = (1, 2) / (2 * 0.5) = (1, 2); c_2 = (0, -2) / (4 * 0.5) = (0, -1); both start at zero.
        #expect(state0["client-control"]?.values == [1, 2, 0])
        #expect(state2["client-control"]?.values == [0, -1, 0])
        #expect(reply0.sets["control-change"]?.values == [1, 2, 0])
        let next = scaffold.aggregate(global: global, replies: [reply0, reply2], weights: [1, 3])
        #expect(next.values == [0.75, 3, 3.5])
        // c = (1, 1) / 4, the only checkpointed set; every message carries it.
        #expect(scaffold.checkpointState()["server-control"]?.values == [0.25, 0.25, 0])
        #expect(scaffold.checkpointState().count == 1)
        // Client 0's next gradient: g + c - c_0.
        var gradients = layout
        gradients.values = [10, 10, 0]
        scaffold.adjustLocalGradients(&gradients, parameters: global, context: ClientContext(
            client: 0, global: global, messageSets: scaffold.messageSets(for: 0), clientState: state0,
            learningRate: 0.5))
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
            replies: [ClientReply(client: 0, parameters: set([1, 2, 0]), sampleCount: 1, localSteps: 1, meanLoss: 0,
                                  sets: ["fisher": set([3, 4, 0])]),
                      ClientReply(client: 1, parameters: set([-1, 5, 0]), sampleCount: 1, localSteps: 1, meanLoss: 0,
                                  sets: ["fisher": set([2, 1, 0])])],
            weights: [1, 1])
        func gradient(_ method: FedCurv, client: Int, at parameters: ParameterSet) -> [Float] {
            var gradients = set([0, 0, 0])
            method.adjustLocalGradients(&gradients, parameters: parameters, context: ClientContext(
                client: client, global: set([0, 0, 0]), messageSets: method.messageSets(for: client),
                learningRate: 1))
            return gradients.values
        }
        // Client 0 at w = (2, 2): 2 * 0.5 * F_1 * (w - w_1) = (2 * 3, 1 * -3).
        #expect(gradient(fedCurv, client: 0, at: set([2, 2, 9])) == [6, -3, 0])
        // A client that never took part sees both terms:
        // 2 * 0.5 * (0 - (F_0 w_0 + F_1 w_1)) = -(3 * 1 + 2 * -1, 4 * 2 + 1 * 5).
        #expect(gradient(fedCurv, client: 3, at: set([0, 0, 0])) == [-1, -13, 0])
        // Checkpoint round trip keeps the terms.
        var restored = FedCurv(lambda: 0.5)
        try restored.restoreState(fedCurv.checkpointState())
        #expect(gradient(restored, client: 0, at: set([2, 2, 9])) == [6, -3, 0])
    }

    @Test("FedCurv trains and differs from FedAvg from round 2")
    func fedCurvRuns() throws {
        let fedCurv = try simulate("fedcurv", rounds: 2)
        let fedAvg = try simulate("fedavg", rounds: 2)
        #expect(fedCurv.globalState != fedAvg.globalState)
        #expect(fedCurv.history.allSatisfy { $0.validation.macroAUC != nil })
    }

    @Test("Equal shards with sample-count weights aggregate to the plain mean")
    func equalShardsArePlainMean() throws {
        let layout = ParameterSet(layout: [(name: "w", shape: [3], isTrainable: true)])
        let parts: [[Float]] = [[1, 2, 3], [4, 8, 16], [-2, 0.5, 1]]
        var fedAvg = FedAvg()
        let replies = parts.enumerated().map { index, values in
            var parameters = layout
            parameters.values = values
            return ClientReply(client: index, parameters: parameters, sampleCount: 40, localSteps: 1, meanLoss: 0)
        }
        let mean = fedAvg.aggregate(global: layout, replies: replies, weights: [40, 40, 40])
        for index in 0..<3 {
            let plain = parts.map { Double($0[index]) }.reduce(0, +) / 3
            #expect(abs(Double(mean.values[index]) - plain) < 1e-6)
        }
        let skewed = fedAvg.aggregate(global: layout, replies: replies, weights: [10, 40, 70])
        #expect(skewed != mean)
    }

    @Test("Batch-norm running statistics are averaged with the parameters")
    func runningStatisticsAreAveraged() throws {
        let clients = SyntheticImages.clients(3, size: 20, seed: 9)
        let snapshot = try simulate("fedavg", rounds: 1, clients: clients)
        // Recompute each client's local model and the sample-weighted mean of their running means.
        let settings = simulatedSettings()
        let initial = PooledLinearModel(classCount: 3, seed: settings.seed)
        var localMeans = [[Float]]()
        for (index, client) in clients.enumerated() {
            var model = initial
            _ = LocalTraining(settings: settings).run(
                model: &model, data: client, round: 1,
                context: ClientContext(client: index, global: initial.state, learningRate: settings.learningRate),
                method: FedAvg(), optimizer: { AdamW(learningRate: settings.learningRate) })
            localMeans.append(model.state.values(of: "norm.running_mean"))
        }
        let total = Double(clients.map(\.count).reduce(0, +))
        let global = snapshot.globalState.values(of: "norm.running_mean")
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
        let snapshot = try simulate("fedavg", rounds: 3) { configuration in
            configuration.training.participation = 0.5
            configuration.training.equalWeights = true
        }
        for record in snapshot.history {
            let expected = ClientSelection.participants(round: record.round, clientCount: 4, fraction: 0.5, seed: 5)
            #expect(record.clients.map(\.client) == expected)
        }
        // Round 1 by hand: the plain mean of the two participants' local models.
        let clients = SyntheticImages.clients(4, size: 24, seed: 1)
        let settings = simulatedSettings()
        let initial = PooledLinearModel(classCount: 3, seed: settings.seed)
        let participants = ClientSelection.participants(round: 1, clientCount: 4, fraction: 0.5, seed: 5)
        let locals = participants.map { client in
            var model = initial
            return LocalTraining(settings: settings).run(
                model: &model, data: clients[client], round: 1,
                context: ClientContext(client: client, global: initial.state, learningRate: settings.learningRate),
                method: FedAvg(), optimizer: { AdamW(learningRate: settings.learningRate) }).parameters
        }
        let oneRound = try simulate("fedavg", rounds: 1) { configuration in
            configuration.training.participation = 0.5
            configuration.training.equalWeights = true
        }
        #expect(clients[participants[0]].count != clients[participants[1]].count)
        #expect(oneRound.globalState == ParameterSet.weightedMean(locals, weights: [1, 1]))
    }

    @Test("Centralized training on learnable data reaches validation macro-AUC > 90")
    func centralizedLearns() throws {
        let clients = SyntheticImages.clients(4, size: 40, seed: 1)
        let snapshot = try simulate("centralized", rounds: 3, clients: clients)
        let best = try #require(snapshot.bestValidation?.macroAUC)
        #expect(best > 90)
        #expect(snapshot.history.count == 3)
        #expect(snapshot.history.allSatisfy { $0.clients.count == 1 && $0.clients[0].sampleCount == clients.map(\.count).reduce(0, +) })
    }

    @Test("SphereFed's calibrated head fits the labels from feature statistics")
    func sphereFedCalibration() throws {
        let clients = SyntheticImages.clients(3, size: 40, seed: 1)
        var model = PooledLinearModel(classCount: SyntheticImages.classCount, seed: 5)
        model.state = try simulate("spherefed", rounds: 2, clients: clients).globalState
        let head = try SphereFed().calibratedHead(model: model, clients: clients, batchSize: 16)
        let validation = SyntheticImages.make(count: 60, seed: 2, stream: "validation")
        let metrics = Evaluation.metrics(model: model, data: validation, batchSize: 16, calibratedHead: head)
        #expect((metrics.macroAUC ?? 0) > 85)
        // Statistics add up across clients: one client holding everything gives the same head.
        let union = try SphereFed().calibratedHead(model: model,
                                                   clients: [LabeledImages.concatenating(clients)], batchSize: 16)
        for (a, b) in zip(head.weight, union.weight) { #expect(abs(a - b) < 1e-6 * max(1, abs(a))) }
    }
}
