import Foundation
import NeuralNet
import ProcessTestSupport
import Safetensors
import Testing

/// The whole ImageNet-weights path: a `torch.save` checkpoint of torchvision's own `resnet18()` (committed gzipped,
/// see tools/fixtures/make_pretrained_fixtures.py), converted by `tools/convert-torchvision-resnet18` (python3 with
/// numpy and safetensors, no torch), loaded by `--pretrained`'s loader, features compared with PyTorch's.
@Suite("NeuralNet torchvision checkpoints")
struct TorchvisionCheckpointTests {
    static let repositoryRoot: URL = {
        if let root = ProcessInfo.processInfo.environment["FEDNC_REPO_ROOT"], !root.isEmpty {
            return URL(fileURLWithPath: root)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }()
    static let python = URL(fileURLWithPath: "/usr/bin/env")

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("torchvision-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func convert(_ checkpoint: URL, to output: URL) throws -> ChildProcess.Outcome {
        let tool = repositoryRoot.appendingPathComponent("tools/convert-torchvision-resnet18").path
        return try ChildProcess.run(python, ["python3", tool, checkpoint.path, output.path])
    }

    @Test("torchvision resnet18 .pth -> converter -> loader: pooled features equal PyTorch's")
    func wholePath() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let checkpoint = folder.appendingPathComponent("resnet18.pth")
        let unpack = try ChildProcess.run(Self.python, [
            "python3", "-c", "import gzip, shutil, sys; shutil.copyfileobj(gzip.open(sys.argv[1]), open(sys.argv[2], 'wb'))",
            Fixtures.url("resnet18_tiled.pth.gz").path, checkpoint.path,
        ])
        #expect(unpack.status == 0, "\(unpack.error)")
        let converted = folder.appendingPathComponent("resnet18.safetensors")
        let outcome = try Self.convert(checkpoint, to: converted)
        try #require(outcome.status == 0, "converter failed: \(outcome.error)")
        #expect(outcome.output.contains("120 tensors"))
        let file = try SafetensorsFile(contentsOf: converted)
        #expect(!file.tensorNames.contains("fc.weight"), "the ImageNet classifier is dropped")

        let reference = try Fixtures.open("resnet18_features.safetensors")
        let pixels = try reference.array(of: UInt8.self, "images")
        let images = ImageBatch(count: 2, height: 64, width: 64, channels: 3, pixels: pixels)
        let configuration = ModelConfiguration(classCount: 2, head: .mlp, stem: .imagenet, widthMultiplier: 1,
                                               inputSize: 64)
        let model = MultiLabelClassifier(configuration: configuration, seed: 3)
        try model.loadPretrained(from: converted)
        #expect(model.state.values(of: "layer1.0.bn1.num_batches_tracked") == [7])
        let features = model.pooledFeatures(images: images)
        let expected = try reference.floats("features")
        #expect(features.count == expected.count)
        #expect(relativeError(features, expected) < 1e-4, "relative error \(relativeError(features, expected))")
    }

    @Test("A checkpoint with missing, extra, misshapen and mistyped tensors is refused, each named; nothing written")
    func refusesEachFault() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.safetensors")
        let outcome = try Self.convert(Fixtures.url("resnet18_bad.pth"), to: output)
        #expect(outcome.status == 1)
        for fragment in ["121 problems", "missing tensor bn1.bias", "missing tensor layer4.1.bn2.running_var",
                         "tensor conv1.weight is double, expected float", "tensor bn1.weight has shape [32], expected [64]",
                         "unexpected tensor head.x"] {
            #expect(outcome.error.contains(fragment), "stderr lacks \(fragment): \(outcome.error.prefix(400))")
        }
        #expect(!outcome.error.contains("fc.weight"), "fc.* is dropped, whatever its shape")
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(left.isEmpty, "nothing written: \(left)")
    }

    @Test("A malicious pickle is refused before anything in it runs")
    func maliciousPickleRunsNothing() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let marker = folder.appendingPathComponent("pwned")
        let checkpoint = folder.appendingPathComponent("evil.pth")
        let script = """
        import os, pickle, sys, zipfile
        class Evil:
            def __reduce__(self):
                return (os.system, ("touch " + sys.argv[2],))
        with zipfile.ZipFile(sys.argv[1], "w") as archive:
            archive.writestr("archive/data.pkl", pickle.dumps({"conv1.weight": Evil()}, protocol=2))
        """
        let make = try ChildProcess.run(Self.python, ["python3", "-c", script, checkpoint.path, marker.path])
        try #require(make.status == 0, "\(make.error)")
        let outcome = try Self.convert(checkpoint, to: folder.appendingPathComponent("out.safetensors"))
        #expect(outcome.status == 1)
        #expect(outcome.error.contains("posix.system"), "\(outcome.error)")
        #expect(!FileManager.default.fileExists(atPath: marker.path), "the pickle ran a command")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out.safetensors").path))
    }
}
