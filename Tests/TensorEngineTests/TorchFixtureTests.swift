import Foundation
import Testing
@_spi(HostStorage) import TensorEngine

/// One case of Fixtures/torch_ops.json (see its README): PyTorch's inputs, outputs and gradients.
struct TorchCase: Decodable, Sendable {
    struct Stored: Decodable, Sendable {
        let shape: [Int]
        let values: [Float]
    }

    let op: String
    let params: [String: Double]
    let tensors: [String: Stored]

    func tensor(_ name: String) -> Tensor {
        guard let stored = tensors[name] else { preconditionFailure("fixture case \(op) has no tensor \(name)") }
        return Tensor(shape: stored.shape, storage: stored.values)
    }

    func int(_ name: String) -> Int { Int(params[name] ?? -1) }

    static func load() throws -> [TorchCase] {
        struct File: Decodable { let cases: [TorchCase] }
        guard let url = Bundle.module.url(forResource: "torch_ops", withExtension: "json", subdirectory: "Fixtures")
        else { throw FixtureMissing() }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }

    struct FixtureMissing: Error {}
}

/// Runs once per backend in `EngineBackends.available`: a new backend reuses every case unchanged.
@Suite("PyTorch fixtures")
struct TorchFixtureTests {
    let cases: [TorchCase]

    init() throws { cases = try TorchCase.load() }

    private func each(_ op: String) -> [TorchCase] {
        let selected = cases.filter { $0.op == op }
        #expect(!selected.isEmpty, "no \(op) case in the fixture")
        return selected
    }

    private func expectClose(_ actual: Tensor?, _ expected: Tensor, _ what: String, tolerance: Float = 1e-4,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        guard let actual else {
            Issue.record("\(what): missing", sourceLocation: sourceLocation)
            return
        }
        #expect(actual.shape == expected.shape, "\(what): shape", sourceLocation: sourceLocation)
        guard actual.count == expected.count else { return }
        let scale = max(1, maxAbs(expected.storage))
        let difference = maxAbsDifference(actual.storage, expected.storage)
        #expect(difference <= tolerance * scale, "\(what): max difference \(difference)", sourceLocation: sourceLocation)
    }

    @Test("conv2d forward and backward match torch", arguments: EngineBackends.available)
    func conv(backend: any EngineBackend) {
        for c in each("conv2d") {
            let stride = c.int("stride"), padding = c.int("padding")
            let output = backend.conv2dForward(input: c.tensor("input"), weight: c.tensor("weight"),
                                               bias: c.tensor("bias"), stride: stride, padding: padding)
            expectClose(output, c.tensor("output"), "conv output")
            let gradients = backend.conv2dBackward(outputGradient: c.tensor("projection"), input: c.tensor("input"),
                                                   weight: c.tensor("weight"), stride: stride, padding: padding,
                                                   hasBias: true, computeInputGradient: true)
            expectClose(gradients.input, c.tensor("inputGradient"), "conv dx")
            expectClose(gradients.weight, c.tensor("weightGradient"), "conv dw")
            expectClose(gradients.bias, c.tensor("biasGradient"), "conv db")
        }
    }

    @Test("batch norm training, running statistics, eval and backward match torch", arguments: EngineBackends.available)
    func batchNorm(backend: any EngineBackend) {
        for c in each("batchNorm2d") {
            var runningMean = c.tensor("runningMean"), runningVariance = c.tensor("runningVariance")
            let forward = backend.batchNorm2dForwardTraining(input: c.tensor("input"), gamma: c.tensor("gamma"),
                                                             beta: c.tensor("beta"), runningMean: &runningMean,
                                                             runningVariance: &runningVariance, momentum: 0.1,
                                                             epsilon: 1e-5)
            expectClose(forward.output, c.tensor("output"), "bn output")
            expectClose(runningMean, c.tensor("updatedMean"), "running mean", tolerance: 1e-5)
            expectClose(runningVariance, c.tensor("updatedVariance"), "running variance (unbiased)", tolerance: 1e-5)
            let evaluation = backend.batchNorm2dForwardInference(input: c.tensor("input"), gamma: c.tensor("gamma"),
                                                                 beta: c.tensor("beta"), runningMean: runningMean,
                                                                 runningVariance: runningVariance, epsilon: 1e-5)
            expectClose(evaluation, c.tensor("evalOutput"), "bn eval output")
            let gradients = backend.batchNorm2dBackward(outputGradient: c.tensor("projection"),
                                                        input: c.tensor("input"), gamma: c.tensor("gamma"),
                                                        saved: forward)
            expectClose(gradients.input, c.tensor("inputGradient"), "bn dx")
            expectClose(gradients.gamma, c.tensor("gammaGradient"), "bn dgamma")
            expectClose(gradients.beta, c.tensor("betaGradient"), "bn dbeta")
        }
    }

    @Test("max pool, layer norm and linear match torch", arguments: EngineBackends.available)
    func poolingNormLinear(backend: any EngineBackend) {
        for c in each("maxPool2d") {
            let forward = backend.maxPool2dForward(input: c.tensor("input"), kernelSize: c.int("kernel"),
                                                   stride: c.int("stride"), padding: c.int("padding"))
            expectClose(forward.output, c.tensor("output"), "maxpool output", tolerance: 0)
            expectClose(backend.maxPool2dBackward(outputGradient: c.tensor("projection"), argmax: forward.argmax,
                                                  inputShape: c.tensor("input").shape),
                        c.tensor("inputGradient"), "maxpool dx", tolerance: 1e-6)
        }
        for c in each("layerNorm") {
            let forward = backend.layerNormForward(input: c.tensor("input"), gamma: c.tensor("gamma"),
                                                   beta: c.tensor("beta"), epsilon: 1e-5)
            expectClose(forward.output, c.tensor("output"), "layernorm output")
            let gradients = backend.layerNormBackward(outputGradient: c.tensor("projection"), input: c.tensor("input"),
                                                      gamma: c.tensor("gamma"), saved: forward)
            expectClose(gradients.input, c.tensor("inputGradient"), "layernorm dx")
            expectClose(gradients.gamma, c.tensor("gammaGradient"), "layernorm dgamma")
            expectClose(gradients.beta, c.tensor("betaGradient"), "layernorm dbeta")
        }
        for c in each("linear") {
            expectClose(backend.linearForward(input: c.tensor("input"), weight: c.tensor("weight"),
                                              bias: c.tensor("bias")),
                        c.tensor("output"), "linear output")
            let gradients = backend.linearBackward(outputGradient: c.tensor("projection"), input: c.tensor("input"),
                                                   weight: c.tensor("weight"), hasBias: true)
            expectClose(gradients.input, c.tensor("inputGradient"), "linear dx")
            expectClose(gradients.weight, c.tensor("weightGradient"), "linear dw")
            expectClose(gradients.bias, c.tensor("biasGradient"), "linear db")
        }
    }

    @Test("gelu, sigmoid, softmax and log-softmax match torch", arguments: EngineBackends.available)
    func activations(backend: any EngineBackend) {
        for c in each("gelu") {
            expectClose(backend.geluForward(c.tensor("input")), c.tensor("output"), "gelu")
            expectClose(backend.geluBackward(outputGradient: c.tensor("projection"), input: c.tensor("input")),
                        c.tensor("inputGradient"), "gelu dx")
        }
        for c in each("sigmoid") {
            let output = backend.sigmoidForward(c.tensor("input"))
            expectClose(output, c.tensor("output"), "sigmoid")
            expectClose(backend.sigmoidBackward(outputGradient: c.tensor("projection"), output: output),
                        c.tensor("inputGradient"), "sigmoid dx")
        }
        for c in each("softmax") {
            let output = backend.softmaxForward(c.tensor("input"))
            expectClose(output, c.tensor("output"), "softmax")
            expectClose(backend.softmaxBackward(outputGradient: c.tensor("projection"), output: output),
                        c.tensor("inputGradient"), "softmax dx")
        }
        for c in each("logSoftmax") {
            let output = backend.logSoftmaxForward(c.tensor("input"))
            expectClose(output, c.tensor("output"), "logSoftmax")
            expectClose(backend.logSoftmaxBackward(outputGradient: c.tensor("projection"), output: output),
                        c.tensor("inputGradient"), "logSoftmax dx")
        }
    }

    @Test("BCE with logits, cosine similarity and bilinear resize match torch", arguments: EngineBackends.available)
    func lossesAndResize(backend: any EngineBackend) {
        for c in each("bceWithLogits") {
            let result = backend.bceWithLogits(logits: c.tensor("logits"), targets: c.tensor("targets"))
            expectClose(Tensor(shape: [1], storage: [result.loss]), c.tensor("loss"), "bce loss")
            expectClose(result.logitsGradient, c.tensor("logitsGradient"), "bce gradient")
        }
        for c in each("cosineSimilarity") {
            let forward = backend.cosineSimilarityForward(c.tensor("a"), c.tensor("b"), epsilon: 1e-12)
            expectClose(forward.output, c.tensor("output"), "cosine")
            let gradients = backend.cosineSimilarityBackward(outputGradient: c.tensor("projection"), saved: forward)
            expectClose(gradients.a, c.tensor("aGradient"), "cosine da")
            expectClose(gradients.b, c.tensor("bGradient"), "cosine db")
        }
        for c in each("bilinearResize") {
            expectClose(backend.bilinearResize(c.tensor("input"), height: c.int("height"), width: c.int("width")),
                        c.tensor("output"), "bilinear \(c.int("height"))x\(c.int("width"))", tolerance: 1e-6)
        }
    }
}
