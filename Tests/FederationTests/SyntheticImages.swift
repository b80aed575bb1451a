import Federation
import SeededRandom

/// Learnable multi-label images for the tests: 8 x 8 RGB, 3 classes. Class 0 brightens the red channel of the
/// top-left quadrant, class 1 the green channel of the top-right, class 2 the blue channel of the bottom half;
/// every pixel carries uniform noise. Each label is present with probability `positiveRate` (per class,
/// `classRates` overrides it, to build label-skewed clients).
enum SyntheticImages {
    static let side = 8
    static let classCount = 3

    static func make(count: Int, seed: UInt64, stream: String, classRates: [Double] = [0.4, 0.4, 0.4],
                     gray: Bool = false) -> LabeledImages {
        var generator = Xoshiro256StarStar(seed: seed, stream: stream)
        let channels = gray ? 1 : 3
        var pixels = [UInt8](), labels = [UInt8]()
        for _ in 0..<count {
            let present = classRates.map { generator.uniform() < $0 }
            labels.append(contentsOf: present.map { $0 ? 1 : 0 })
            for y in 0..<side {
                for x in 0..<side {
                    for channel in 0..<channels {
                        var value = 40 + generator.uniformInt(120)
                        let signalChannel = gray ? nil : channel
                        if present[0], y < 4, x < 4, signalChannel ?? 0 == 0 { value += 90 }
                        if present[1], y < 4, x >= 4, signalChannel ?? 1 == 1 { value += 90 }
                        if present[2], y >= 4, signalChannel ?? 2 == 2 { value += 90 }
                        pixels.append(UInt8(min(value, 255)))
                    }
                }
            }
        }
        return LabeledImages(height: side, width: side, channels: channels, classCount: classCount,
                             pixels: pixels, labels: labels)
    }

    /// `clientCount` label-skewed clients: client `i` sees class `i % 3` often and the others rarely.
    static func clients(_ clientCount: Int, size: Int, seed: UInt64) -> [LabeledImages] {
        (0..<clientCount).map { index in
            var rates = [0.15, 0.15, 0.15]
            rates[index % classCount] = 0.8
            return make(count: size + 3 * index, seed: seed, stream: "client-\(index)", classRates: rates)
        }
    }
}
