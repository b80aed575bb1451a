import NeuralNet
import Safetensors
import TensorEngine
import Testing

@Suite("NeuralNet BasicBlock vs PyTorch")
struct BasicBlockTests {
    @Test("A downsampling BasicBlock matches PyTorch: output, input and parameter gradients, running statistics",
          arguments: TestBackend.allCases)
    func matchesPyTorch(backendKind: TestBackend) throws {
        let backend = backendKind.make()
        let file = try Fixtures.open("basic_block.safetensors")
        var parameters = [String: [Float]]()
        for name in file.tensorNames where name.hasPrefix("state/") {
            parameters[String(name.dropFirst(6))] = try file.floats(name)
        }
        let shape = try file.info("input").shape
        let input = FeatureMap(batch: shape[0], channels: shape[1], height: shape[2], width: shape[3],
                               values: try file.floats("input"))
        let result = BasicBlock.probe(inChannels: 8, outChannels: 16, stride: 2, input: input, parameters: parameters,
                                      outputGradient: try file.floats("output_gradient"), backend: backend)
        #expect(relativeError(result.output.values, try file.floats("output")) < 1e-5)
        #expect(relativeError(result.inputGradient.values, try file.floats("input_gradient")) < 1e-4)
        // 9 gradients (3 convolutions, 3 batch norms x 2) and 9 buffers (3 batch norms x 3).
        #expect(result.tensors.count == 18)
        #expect(Set(result.tensors.keys) == Set(file.tensorNames.filter { $0.hasPrefix("grad/") || $0.hasPrefix("after/") }))
        for (name, values) in result.tensors {
            #expect(relativeError(values, try file.floats(name)) < 1e-4, "\(name)")
        }
        expectRan(["conv2dForward", "conv2dBackward", "batchNorm2dForwardTraining", "batchNorm2dBackward",
                   "addReluInPlace", "reluBackwardInPlace", "reluForwardInPlace", "addInPlace"], on: backend)
    }
}
