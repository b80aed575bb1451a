import NeuralNet
import TensorEngine
import Testing

@Suite("NeuralNet preprocessing")
struct PreprocessingTests {
    @Test("Gray/RGB, bilinear resize and ImageNet normalisation match PyTorch", arguments: ["gray", "rgb", "same"],
          TestBackend.allCases)
    func matchesPyTorch(name: String, backendKind: TestBackend) throws {
        let backend = backendKind.make()
        let file = try Fixtures.open("preprocess.safetensors")
        let shape = try file.info("\(name)/pixels").shape
        let outputShape = try file.info("\(name)/output").shape
        let images = ImageBatch(count: shape[0], height: shape[1], width: shape[2], channels: shape[3],
                                pixels: try file.array(of: UInt8.self, "\(name)/pixels"))
        let map = ImagePreprocessing.backboneInput(images, size: outputShape[2], backend: backend)
        #expect([map.batch, map.channels, map.height, map.width] == outputShape)
        #expect(relativeError(map.values, try file.floats("\(name)/output")) < 1e-5)
        let ops = ["planarImages", "normalizeChannelsInPlace"]
        expectRan(name == "same" ? ops : ops + ["bilinearResize"], on: backend)
    }
}
