import Foundation
import NeuralNet
import Safetensors

/// Opens committed fixtures and compares float arrays.
enum Fixtures {
    static func url(_ name: String) -> URL {
        guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            preconditionFailure("test bundle has no Fixtures folder")
        }
        return folder.appendingPathComponent(name)
    }

    static func open(_ name: String) throws -> SafetensorsFile {
        try SafetensorsFile(contentsOf: url(name))
    }
}

extension SafetensorsFile {
    /// Any float32 tensor as [Float].
    func floats(_ name: String) throws -> [Float] { try array(of: Float.self, name) }
}

/// `max |actual - expected| / max(max |expected|, floor)`: the error relative to the tensor's scale.
func relativeError(_ actual: [Float], _ expected: [Float], floor: Float = 1e-6) -> Float {
    precondition(actual.count == expected.count, "relativeError: \(actual.count) vs \(expected.count) values")
    var difference: Float = 0
    var scale: Float = floor
    for (a, e) in zip(actual, expected) {
        difference = max(difference, abs(a - e))
        scale = max(scale, abs(e))
    }
    return difference / scale
}

/// A deterministic pseudo-random float in [-1, 1) from an index (for inputs that need no generator).
func hashedUniform(_ index: Int, salt: Int = 0) -> Float {
    var x = UInt64(truncatingIfNeeded: index &* 2654435761 &+ salt &* 97531)
    x ^= x >> 33
    x = x &* 0xff51afd7ed558ccd
    x ^= x >> 33
    return Float(x % 1_000_000) / 500_000 - 1
}
