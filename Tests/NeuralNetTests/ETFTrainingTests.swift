import Foundation
import NeuralNet
import Safetensors
import TensorEngine
import Testing

/// The trainable ETF (`--etf-training`, issue 18 point 1) against PyTorch (`tools/fixtures/make_etf_training_fixtures.py`):
/// the ladm-etf head alone (K 3, d 8, a 2 x 2 map, full loss), its gradients and two AdamW steps, for `trainable`
/// (one ETF parameter), `authors-double-update` (the authors' two Parameter objects over one storage) and
/// `authors-untied` (their per-client deep copy, in which the two are separate tensors).
@Suite("NeuralNet trainable ETF vs PyTorch")
struct ETFTrainingTests {
    static let tolerance: Float = 1e-4

    static func configuration(_ training: ETFTraining, logitScale: LogitScale, useLADM: Bool = true)
        -> ModelConfiguration {
        ModelConfiguration(classCount: 3, head: .ladmETF, stem: .cifar, widthMultiplier: 1.0 / 64, inputSize: 8,
                           useLADM: useLADM, logitScale: logitScale, etfTraining: training)
    }

    /// The model (on `backend`) with the fixture's head entries, the fixture, and the layer4 map.
    static func load(_ training: ETFTraining, variant: String, backend: any EngineBackend = CPUBackend())
        throws -> (model: MultiLabelClassifier, file: SafetensorsFile, features: FeatureMap, labels: [Float]) {
        let file = try Fixtures.open("etf_training.safetensors")
        let model = MultiLabelClassifier(
            configuration: configuration(training, logitScale: variant == "trainable" ? .learnable : .fixed,
                                         useLADM: variant != "pooled"), seed: 3, backend: backend)
        for entry in model.state.entries where entry.name.hasPrefix("head.") {
            let stored = entry.name == "head.etf_queries" ? "initial/head.etf"
                : entry.name == "head.scale" ? "\(variant)/initial/head.scale" : "initial/\(entry.name)"
            if entry.name == "head.scale", variant != "trainable" {
                #expect(model.state.values(of: entry.name) == [1])
                continue
            }
            model.state.setValues(of: entry.name, to: try file.floats(stored))
        }
        let features = FeatureMap(batch: 2, channels: 8, height: 2, width: 2, values: try file.floats("features"))
        return (model, file, features, try file.floats("labels"))
    }

    /// `actual` vs `expected` without the attention's key bias (the middle third of `in_proj_bias`): its gradient
    /// is 0 in exact arithmetic (softmax ignores it), so AdamW turns each side's rounding residue into a full step.
    static func withoutKeyBias(_ name: String, _ values: [Float]) -> [Float] {
        guard name.hasSuffix("in_proj_bias") else { return values }
        var result = values
        result.removeSubrange((values.count / 3)..<(2 * values.count / 3))
        return result
    }

    /// `stepOne`: the fixture variant holding the first step's logits, loss and gradients (`double` for `untied`).
    static func check(_ training: ETFTraining, variant: String, stepOne: String? = nil, rule: WeightDecayRule,
                      on backendKind: TestBackend) throws {
        let backend = backendKind.make()
        let (model, file, features, labels) = try load(training, variant: variant, backend: backend)
        let first = model.headTrainingStep(features: features, labels: labels, loss: LossConfiguration())
        let reference = stepOne ?? variant
        #expect(relativeError(first.scores.logits, try file.floats("\(reference)/logits")) < tolerance)
        #expect(relativeError([first.terms.total], try file.floats("\(reference)/loss")) < tolerance)
        #expect(relativeError(first.featureGradient.values, try file.floats("\(reference)/feature_grad")) < tolerance)
        for entry in first.gradients.entries where entry.name.hasPrefix("head.") && entry.isTrainable {
            let error = relativeError(first.gradients.values(of: entry.name),
                                      try file.floats("\(reference)/grad/\(entry.name)"))
            #expect(error < tolerance, "\(variant) gradient of \(entry.name): relative error \(error)")
        }
        var optimizer = AdamW(learningRate: 1e-2, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 0.01,
                              backend: backend)
        optimizer.weightDecayRule = rule
        optimizer.step(&model.state, gradients: first.gradients)
        let etfError = relativeError(model.state.values(of: "head.etf"), try file.floats("\(variant)/after1/head.etf"))
        #expect(etfError < tolerance, "\(variant): head.etf after one step, relative error \(etfError)")
        let second = model.headTrainingStep(features: features, labels: labels, loss: LossConfiguration())
        optimizer.step(&model.state, gradients: second.gradients)
        for entry in model.state.entries where entry.name.hasPrefix("head.") && entry.isTrainable {
            let error = relativeError(withoutKeyBias(entry.name, model.state.values(of: entry.name)),
                                      withoutKeyBias(entry.name, try file.floats("\(variant)/after2/\(entry.name)")))
            #expect(error < tolerance, "\(variant): \(entry.name) after two steps, relative error \(error)")
        }
        let headOps = variant == "pooled" ? ["matmul", "matmul(into:)"]
            : ["batchedMatmul", "softmaxForward", "matmul", "addRowVectorInPlace", "featureMapFromTokens"]
        expectRan(headOps + ["scaleAddRowVector", "columnSums", "adamWUpdate"], on: backend)
    }

    @Test("trainable: one ETF, gradient = classifier + query + prototype paths, one AdamW update per step",
          arguments: TestBackend.allCases)
    func trainable(backendKind: TestBackend) throws {
        try Self.check(.trainable, variant: "trainable", rule: .rankAtLeastTwo, on: backendKind)
    }

    @Test("trainable without LADM: the pooled-feature classifier's and the prototypes' gradients, two AdamW steps",
          arguments: TestBackend.allCases)
    func trainablePooled(backendKind: TestBackend) throws {
        try Self.check(.trainable, variant: "pooled", rule: .rankAtLeastTwo, on: backendKind)
    }

    @Test("authors-double-update: two gradients, two moment sets, two decays per step, in torch's order",
          arguments: TestBackend.allCases)
    func authorsDoubleUpdate(backendKind: TestBackend) throws {
        try Self.check(.authorsDoubleUpdate, variant: "double", rule: .allButBiases, on: backendKind)
        let (model, _, _, _) = try Self.load(.authorsDoubleUpdate, variant: "double")
        #expect(model.state.entry(named: "head.etf_queries")?.tie == ParameterTie(owner: "head.etf", timing: .everyStep))
    }

    @Test("authors-untied: the classifier ETF and the queries train as two tensors, one AdamW update each",
          arguments: TestBackend.allCases)
    func authorsUntied(backendKind: TestBackend) throws {
        try Self.check(.authorsUntied, variant: "untied", stepOne: "double", rule: .allButBiases, on: backendKind)
    }

    @Test("authors-untied aggregation: the averaged queries overwrite the averaged ETF; other ties and entries stay")
    func aggregationTie() throws {
        let (model, file, _, _) = try Self.load(.authorsUntied, variant: "untied")
        #expect(model.state.entry(named: "head.etf_queries")?.tie
            == ParameterTie(owner: "head.etf", timing: .atAggregation))
        var client = model.state
        for name in ["head.etf", "head.etf_queries", "head.bias"] {
            client.setValues(of: name, to: try file.floats("untied/after2/\(name)"))
        }
        let mean = ParameterSet.weightedMean([model.state, client], weights: [1, 3])
        let tied = mean.applyingAggregationTies()
        #expect(tied.values(of: "head.etf") == mean.values(of: "head.etf_queries"))
        #expect(tied.values(of: "head.etf") != mean.values(of: "head.etf"))
        for entry in tied.entries where entry.name != "head.etf" {
            #expect(tied.values(of: entry.name) == mean.values(of: entry.name), "\(entry.name) changed")
        }
        let double = MultiLabelClassifier(configuration: Self.configuration(.authorsDoubleUpdate, logitScale: .fixed),
                                          seed: 1)
        var drifted = double.state
        drifted.setValues(of: "head.etf_queries", to: [Float](repeating: 0.5, count: 24))
        #expect(drifted.applyingAggregationTies() == drifted, "an every-step tie is not an aggregation tie")
    }

    @Test("trainable on the authors' head: its gradient is the sum of the two registrations', one update lands elsewhere")
    func singleUpdateDiffers() throws {
        let (model, file, features, labels) = try Self.load(.trainable, variant: "double")
        let step = model.headTrainingStep(features: features, labels: labels, loss: LossConfiguration())
        let sum = zip(try file.floats("double/grad/head.etf"), try file.floats("double/grad/head.etf_queries")).map(+)
        #expect(relativeError(step.gradients.values(of: "head.etf"), sum) < Self.tolerance)
        var optimizer = AdamW(learningRate: 1e-2, beta1: 0.9, beta2: 0.98, epsilon: 1e-8, weightDecay: 0.01)
        optimizer.weightDecayRule = .allButBiases
        optimizer.step(&model.state, gradients: step.gradients)
        let error = relativeError(model.state.values(of: "head.etf"), try file.floats("double/after1/head.etf"))
        #expect(error > 100 * Self.tolerance, "one update of the summed gradient matches the double update")
    }

    @Test("The alias follows its owner through AdamW; fixed keeps the old layout (no alias, head.etf frozen)")
    func layout() {
        let fixed = MultiLabelClassifier(configuration: Self.configuration(.fixed, logitScale: .fixed), seed: 1)
        #expect(fixed.state.entry(named: "head.etf")?.isTrainable == false)
        #expect(fixed.state.entry(named: "head.etf_queries") == nil)
        let trainable = MultiLabelClassifier(configuration: Self.configuration(.trainable, logitScale: .fixed), seed: 1)
        #expect(trainable.state.entry(named: "head.etf")?.isTrainable == true)
        #expect(trainable.state.entries.map(\.name) == fixed.state.entries.map(\.name))
        let double = MultiLabelClassifier(configuration: Self.configuration(.authorsDoubleUpdate, logitScale: .fixed),
                                          seed: 1)
        #expect(double.state.values(of: "head.etf_queries") == double.state.values(of: "head.etf"))
        var gradients = ParameterSet.zeros(like: double.state)
        gradients.setValues(of: "head.etf", to: (0..<24).map { Float($0 % 5) - 2 })
        gradients.setValues(of: "head.etf_queries", to: (0..<24).map { Float($0 % 3) - 1 })
        var optimizer = AdamW(learningRate: 1e-2)
        let before = double.state.values(of: "head.etf")
        optimizer.step(&double.state, gradients: gradients)
        #expect(double.state.values(of: "head.etf_queries") == double.state.values(of: "head.etf"))
        #expect(double.state.values(of: "head.etf") != before)
    }

    @Test("A configuration without etfTraining decodes as fixed; the mode round-trips")
    func decoding() throws {
        let configuration = Self.configuration(.authorsUntied, logitScale: .fixed)
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(ModelConfiguration.self, from: data) == configuration)
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        json["etfTraining"] = nil
        let old = try JSONDecoder().decode(ModelConfiguration.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old.etfTraining == .fixed)
        var noLADM = configuration
        noLADM.useLADM = false
        #expect(noLADM.etfTrainingProblem != nil)
        #expect(configuration.etfTrainingProblem == nil)
    }
}
