import Foundation
import Safetensors
import SeededRandom
import Testing

/// Cross-checks with Python's `safetensors` and `numpy` (installed on the development machines and in CI).
@Suite("Safetensors interoperability with Python")
struct PythonInteropTests {
    /// Runs `python3 -c script args...` and decodes its standard output as JSON.
    private func runPython(_ script: String, _ arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python failed: \(errorText)")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// Reads a file with both `load_file` and `safe_open`, prints dtype, shape and bytes (hex) of each tensor.
    private static let readScript = """
        import json, sys
        from safetensors import safe_open
        from safetensors.numpy import load_file
        path = sys.argv[1]
        loaded = load_file(path)
        out = {"tensors": {}, "metadata": None}
        with safe_open(path, framework="numpy") as f:
            out["metadata"] = f.metadata()
            for name in f.keys():
                a = f.get_tensor(name)
                b = loaded[name]
                assert a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes(), name
                out["tensors"][name] = {"dtype": str(a.dtype), "shape": list(a.shape), "hex": a.tobytes().hex()}
        print(json.dumps(out))
        """

    @Test("Python's safetensors and numpy read what we write (one-shot and streaming), values equal")
    func pythonReadsOurFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var tensors = OneShotTests.everyDType(seed: 5)
        tensors["t_bf16"] = nil  // numpy has no bfloat16
        let numpyNames: [TensorDType: String] = [
            .bool: "bool", .uint8: "uint8", .int8: "int8", .uint16: "uint16", .int16: "int16", .float16: "float16",
            .uint32: "uint32", .int32: "int32", .float32: "float32", .uint64: "uint64", .int64: "int64",
            .float64: "float64",
        ]
        let oneShot = folder.file("one-shot.safetensors")
        try Safetensors.write(tensors: tensors, metadata: ["dataset": "cifar10", "classes": #"["a","b"]"#],
                              to: oneShot)
        let result = try runPython(Self.readScript, [oneShot.path])
        #expect(result["metadata"] as? [String: String] == ["dataset": "cifar10", "classes": #"["a","b"]"#])
        let pythonTensors = try #require(result["tensors"] as? [String: [String: Any]])
        #expect(Set(pythonTensors.keys) == Set(tensors.keys))
        for (name, tensor) in tensors {
            let python = try #require(pythonTensors[name], "\(name)")
            #expect(python["dtype"] as? String == numpyNames[tensor.dtype], "\(name) dtype")
            #expect(python["shape"] as? [Int] == tensor.shape, "\(name) shape")
            #expect(python["hex"] as? String == Self.hex(tensor.bytes), "\(name) bytes")
        }

        let streamed = folder.file("streamed.safetensors")
        let writer = SafetensorsWriter(destination: streamed, metadata: ["split": "val"])
        try writer.declare("images", dtype: .uint8, rowShape: [2, 3, 3])
        try writer.declare("sources", dtype: .int64, rowShape: [2])
        try writer.declare("scores", dtype: .float32, rowShape: [])
        var generator = Xoshiro256StarStar(seed: 11, stream: "python-streamed")
        var images = [UInt8]()
        for row in 0..<9 {
            let image = (0..<18).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            images += image
            try writer.append("images", rows: image)
            try writer.append("sources", rows: [Int64(row), -1])
            try writer.append("scores", rows: [Float(row) / 3])
        }
        try writer.finish()
        let streamedResult = try runPython(Self.readScript, [streamed.path])
        let streamedTensors = try #require(streamedResult["tensors"] as? [String: [String: Any]])
        #expect(streamedTensors["images"]?["shape"] as? [Int] == [9, 2, 3, 3])
        #expect(streamedTensors["images"]?["hex"] as? String == Self.hex(images))
        let sources: [Int64] = (0..<9).flatMap { row -> [Int64] in [Int64(row), -1] }
        #expect(streamedTensors["sources"]?["hex"] as? String == Self.hex(sources.withUnsafeBytes { Array($0) }))
        let scores = (0..<9).map { Float($0) / 3 }
        #expect(streamedTensors["scores"]?["hex"] as? String == Self.hex(scores.withUnsafeBytes { Array($0) }))
    }

    @Test("we read what Python's safetensors writes, values equal")
    func weReadPythonFiles() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let url = folder.file("python.safetensors")
        let result = try runPython("""
            import json, sys
            import numpy as np
            from safetensors.numpy import save_file
            rng = np.random.default_rng(1234)
            tensors = {
                "u8": rng.integers(0, 256, size=(4, 5, 3), dtype=np.uint8),
                "i8": rng.integers(-128, 128, size=(7,), dtype=np.int8),
                "u16": rng.integers(0, 65536, size=(3, 2), dtype=np.uint16),
                "i16": rng.integers(-32768, 32768, size=(2, 3), dtype=np.int16),
                "u32": rng.integers(0, 2**32, size=(5,), dtype=np.uint32),
                "i32": rng.integers(-2**31, 2**31, size=(2, 2), dtype=np.int32),
                "u64": rng.integers(0, 2**63, size=(3,), dtype=np.uint64),
                "i64": rng.integers(-2**63, 2**63 - 1, size=(3, 1), dtype=np.int64),
                "f16": rng.standard_normal((2, 4)).astype(np.float16),
                "f32": rng.standard_normal((3, 3)).astype(np.float32),
                "f64": rng.standard_normal((5,)),
                "flags": rng.integers(0, 2, size=(6,)).astype(np.bool_),
                "empty": np.zeros((0, 3), dtype=np.float32),
                "scalar": np.array(2.5, dtype=np.float64),
            }
            save_file(tensors, sys.argv[1], metadata={"format": "pt", "note": "from python"})
            print(json.dumps({"tensors": {k: {"shape": list(v.shape), "hex": v.tobytes().hex()}
                                          for k, v in tensors.items()}}))
            """, [url.path])
        let expected = try #require(result["tensors"] as? [String: [String: Any]])
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.metadata == ["format": "pt", "note": "from python"])
        #expect(Set(file.tensorNames) == Set(expected.keys))
        for name in file.tensorNames {
            let tensor = try file.tensorData(name)
            #expect(expected[name]?["shape"] as? [Int] == tensor.shape, "\(name) shape")
            #expect(expected[name]?["hex"] as? String == Self.hex(tensor.bytes), "\(name) bytes")
        }
        #expect(try file.info("f16").dtype == .float16)
        #expect(try file.info("flags").dtype == .bool)
        #expect(try file.array(of: Double.self, "scalar") == [2.5])
        #expect(try file.rows("u8", 1..<3, as: UInt8.self).count == 30)
    }
}
