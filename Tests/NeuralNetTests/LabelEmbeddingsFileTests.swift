import Foundation
import NeuralNet
import Safetensors
import Testing

/// `--label-embeddings` files: a small generated table loads; wrong shape, dtype, classes or path are refused
/// with a message that says how to make the file.
@Suite("NeuralNet label-embeddings file")
struct LabelEmbeddingsFileTests {
    static let classes = ["cat", "dog", "bird"]

    static func write(_ tensors: [String: TensorData], classNames: [String]? = classes) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("label-embeddings-\(UUID().uuidString).safetensors")
        var metadata = [String: String]()
        if let classNames {
            metadata["classNames"] = String(decoding: try JSONEncoder().encode(classNames), as: UTF8.self)
        }
        try Safetensors.write(tensors: tensors, metadata: metadata, to: url)
        return url
    }

    static func table(rows: Int, dimension: Int) -> [Float] {
        (0..<(rows * dimension)).map { hashedUniform($0, salt: 7) }
    }

    @Test("A [K+2, d] F32 table with matching class names loads, rows in order")
    func loads() throws {
        let values = Self.table(rows: 5, dimension: 8)
        let url = try Self.write(["embeddings": TensorData(values, shape: [5, 8])])
        defer { try? FileManager.default.removeItem(at: url) }
        let file = try LabelEmbeddingsFile(contentsOf: url, classNames: Self.classes, dimension: 8)
        #expect(file.table == values && file.classCount == 3 && file.dimension == 8)
        let model = LabelTransformerClassifier(
            configuration: LabelTransformerConfiguration(classCount: 3, stem: .cifar, widthMultiplier: 0.0625,
                                                         inputSize: 16, dimension: 8, heads: 2, layers: 1),
            seed: 1)
        model.setLabelEmbeddings(file.table)
        #expect(model.state.values(of: "head.label_embedding") == Array(values[0..<24]))
        #expect(model.state.values(of: "head.state_embedding") == [Float](repeating: 0, count: 8) + Array(values[24..<40]))
    }

    @Test("Wrong shape, wrong dtype, other classes and a missing file are refused, each saying how to make it")
    func refusals() throws {
        let wrongShape = try Self.write(["embeddings": TensorData(Self.table(rows: 4, dimension: 8), shape: [4, 8])])
        defer { try? FileManager.default.removeItem(at: wrongShape) }
        #expect(throws: LabelEmbeddingsError.wrongTensor(path: wrongShape.path, expected: [5, 8], found: "F32 [4, 8]")) {
            try LabelEmbeddingsFile(contentsOf: wrongShape, classNames: Self.classes, dimension: 8)
        }
        let doubles = try Self.write(["embeddings": TensorData([Double](repeating: 0.5, count: 40), shape: [5, 8])])
        defer { try? FileManager.default.removeItem(at: doubles) }
        #expect(throws: LabelEmbeddingsError.wrongTensor(path: doubles.path, expected: [5, 8], found: "F64 [5, 8]")) {
            try LabelEmbeddingsFile(contentsOf: doubles, classNames: Self.classes, dimension: 8)
        }
        let otherClasses = try Self.write(["embeddings": TensorData(Self.table(rows: 5, dimension: 8), shape: [5, 8])],
                                          classNames: ["cat", "dog", "fish"])
        defer { try? FileManager.default.removeItem(at: otherClasses) }
        #expect(throws: LabelEmbeddingsError.classMismatch(path: otherClasses.path, expected: Self.classes,
                                                          found: ["cat", "dog", "fish"])) {
            try LabelEmbeddingsFile(contentsOf: otherClasses, classNames: Self.classes, dimension: 8)
        }
        let missing = URL(fileURLWithPath: "/nonexistent/labels.safetensors")
        do {
            _ = try LabelEmbeddingsFile(contentsOf: missing, classNames: Self.classes, dimension: 8)
            Issue.record("a missing file loaded")
        } catch let error as LabelEmbeddingsError {
            #expect(error.description.contains("/nonexistent/labels.safetensors"))
            #expect(error.description.contains("tools/make-label-embeddings"))
        }
        #expect(LabelEmbeddingsError.notGiven.description.contains("--label-embeddings FILE"))
    }
}
