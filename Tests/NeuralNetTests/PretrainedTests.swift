import Foundation
import NeuralNet
import Safetensors
import Testing

@Suite("NeuralNet pretrained loading")
struct PretrainedTests {
    static let configuration = ModelConfiguration(classCount: 4, head: .ladmETF, widthMultiplier: 0.0625, inputSize: 32)

    static func writeStateDict(of model: MultiLabelClassifier, dropping: String? = nil) throws -> URL {
        var tensors = [String: TensorData]()
        for entry in model.state.entries where !entry.name.hasPrefix("head.") && entry.name != dropping {
            let values = model.state.values(of: entry.name)
            tensors[entry.name] = entry.name.hasSuffix("num_batches_tracked")
                ? TensorData(values.map { Int64($0) }, shape: []) : TensorData(values, shape: entry.shape)
        }
        tensors["fc.weight"] = TensorData([Float](repeating: 1, count: 8), shape: [2, 4])
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("neuralnet-pretrained-\(UUID().uuidString).safetensors")
        try Safetensors.write(tensors: tensors, to: url)
        return url
    }

    @Test("A torchvision-style state dict loads into the backbone; fc and head untouched")
    func loads() throws {
        let source = MultiLabelClassifier(configuration: Self.configuration, seed: 1)
        let url = try Self.writeStateDict(of: source)
        defer { try? FileManager.default.removeItem(at: url) }
        let target = MultiLabelClassifier(configuration: Self.configuration, seed: 2)
        let headBefore = target.state.values(of: "head.attention.in_proj_weight")
        try target.loadPretrained(from: url)
        #expect(target.state.values(of: "layer3.1.conv2.weight") == source.state.values(of: "layer3.1.conv2.weight"))
        #expect(target.state.values(of: "conv1.weight") == source.state.values(of: "conv1.weight"))
        #expect(target.state.values(of: "head.attention.in_proj_weight") == headBefore)
    }

    @Test("Missing and mismatched tensors are reported by name")
    func errors() throws {
        let source = MultiLabelClassifier(configuration: Self.configuration, seed: 1)
        let missing = try Self.writeStateDict(of: source, dropping: "layer2.0.bn1.running_var")
        defer { try? FileManager.default.removeItem(at: missing) }
        let target = MultiLabelClassifier(configuration: Self.configuration, seed: 2)
        let before = target.state
        #expect(throws: PretrainedWeightsError.missingTensor(path: missing.path, tensor: "layer2.0.bn1.running_var")) {
            try target.loadPretrained(from: missing)
        }
        #expect(target.state == before, "nothing changes on failure")
        let complete = try Self.writeStateDict(of: source)
        defer { try? FileManager.default.removeItem(at: complete) }
        var wider = Self.configuration
        wider.widthMultiplier = 0.125
        let widerModel = MultiLabelClassifier(configuration: wider, seed: 2)
        #expect {
            try widerModel.loadPretrained(from: complete)
        } throws: { error in
            guard case let .severalProblems(path, problems)? = error as? PretrainedWeightsError else { return false }
            return path == complete.path && problems.first == .shapeMismatch(path: complete.path, tensor: "conv1.weight",
                                                                              expected: [8, 3, 7, 7], found: [4, 3, 7, 7])
        }
        let message = PretrainedWeightsError.shapeMismatch(path: "w.safetensors", tensor: "conv1.weight",
                                                           expected: [8], found: [4]).description
        #expect(message.contains("w.safetensors") && message.contains("conv1.weight") && message.contains("--width 1"))
    }

    @Test("Several faults are all reported, each named: missing, mistyped, misshapen, extra")
    func everyFaultNamed() throws {
        let source = MultiLabelClassifier(configuration: Self.configuration, seed: 1)
        let complete = try Self.writeStateDict(of: source)
        defer { try? FileManager.default.removeItem(at: complete) }
        var tensors = [String: TensorData]()
        let file = try SafetensorsFile(contentsOf: complete)
        for name in file.tensorNames where name != "layer1.0.conv1.weight" {
            tensors[name] = try file.tensorData(name)
        }
        tensors["conv1.weight"] = TensorData([Double](repeating: 0, count: 4 * 3 * 49), shape: [4, 3, 7, 7])
        tensors["bn1.weight"] = TensorData([Float](repeating: 1, count: 3), shape: [3])
        tensors["extra.weight"] = TensorData([Float](repeating: 1, count: 2), shape: [2])
        let faulty = complete.deletingLastPathComponent().appendingPathComponent("faulty-\(UUID().uuidString).safetensors")
        try Safetensors.write(tensors: tensors, to: faulty)
        defer { try? FileManager.default.removeItem(at: faulty) }
        let target = MultiLabelClassifier(configuration: Self.configuration, seed: 2)
        let before = target.state
        let path = faulty.path
        #expect(throws: PretrainedWeightsError.severalProblems(path: path, problems: [
            .unsupportedDType(path: path, tensor: "conv1.weight", dtype: "F64"),
            .shapeMismatch(path: path, tensor: "bn1.weight", expected: [4], found: [3]),
            .missingTensor(path: path, tensor: "layer1.0.conv1.weight"),
            .unexpectedTensors(path: path, tensors: ["extra.weight"]),
        ])) {
            try target.loadPretrained(from: faulty)
        }
        #expect(target.state == before, "nothing changes on failure")
        let message = PretrainedWeightsError.severalProblems(path: path, problems: [
            .missingTensor(path: path, tensor: "a"), .unexpectedTensors(path: path, tensors: ["b", "c"]),
        ]).description
        #expect(message.contains("2 problems") && message.contains("has no tensor a") && message.contains("b, c"))
    }
}
