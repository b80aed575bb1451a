import Imaging
import SeededRandom

/// One generated ChestX-ray14 sample: a gray "chest" with one pattern per finding, encoded as one of the PNG
/// kinds the real dataset has.
struct ChestXray14SampleImage {
    enum Kind { case gray8, rgba, gray16 }

    let kind: Kind
    /// Class indices present (ascending; empty = `No Finding`).
    let findings: [Int]
    /// The 8-bit gray rendering (what a decoder must give back for every kind).
    let gray: Image

    /// Draws image `index` from the stream `"samples/chestxray14/<index>"`.
    init(index: Int, size: Int, classCount: Int, seed: UInt64) {
        var random = Xoshiro256StarStar(seed: seed, stream: "samples/chestxray14/\(index)")
        kind = index % 9 == 4 ? .rgba : (index % 13 == 7 ? .gray16 : .gray8)
        var canvas = VOCSampleCanvas(height: size, width: size, channels: 1)
        canvas.fillBackground(base: [15 + random.uniformInt(20)], gradient: 10)
        let chestRadius = size * 3 / 8 + random.uniformInt(max(1, size / 16))
        canvas.paint(.disc, centerX: size / 2 + random.uniformInt(9) - 4, centerY: size / 2, radius: chestRadius,
                     color: [120 + random.uniformInt(30)])
        var findings: Set<Int> = []
        if random.uniformInt(3) != 0 {
            let count = 1 + random.uniformInt(3)
            while findings.count < count { findings.insert(random.uniformInt(classCount)) }
        }
        for finding in findings.sorted() {
            let radius = size / 12 + random.uniformInt(max(1, size / 14))
            let spread = size / 4
            canvas.paint(VOCSampleShape(rawValue: finding % 7) ?? .square,
                         centerX: size / 2 + random.uniformInt(2 * spread + 1) - spread,
                         centerY: size / 2 + random.uniformInt(2 * spread + 1) - spread,
                         radius: radius, color: [finding < 7 ? 235 - random.uniformInt(20) : 30 + random.uniformInt(20)])
        }
        canvas.addNoise(amplitude: 10) { random.uniformInt($0) }
        gray = Image(height: size, width: size, channels: 1, pixels: canvas.pixels)
        self.findings = findings.sorted()
    }

    /// The PNG bytes: 8-bit gray, RGBA (gray replicated, alpha varying and to be ignored) or 16-bit gray whose
    /// high byte is the 8-bit rendering.
    func pngBytes(compressionLevel: Int, seed: UInt64, index: Int) throws(ImageCodecError) -> [UInt8] {
        let encoder = PNGEncoder(compressionLevel: compressionLevel)
        var random = Xoshiro256StarStar(seed: seed, stream: "samples/chestxray14/\(index)/extra")
        switch kind {
        case .gray8:
            return try encoder.encode(gray)
        case .rgba:
            var rgba = [UInt8](repeating: 0, count: gray.pixels.count * 4)
            for (pixel, value) in gray.pixels.enumerated() {
                rgba[4 * pixel] = value
                rgba[4 * pixel + 1] = value
                rgba[4 * pixel + 2] = value
                rgba[4 * pixel + 3] = UInt8(128 + random.uniformInt(128))
            }
            return try encoder.encodeRGBA(rgba, height: gray.height, width: gray.width)
        case .gray16:
            let samples = gray.pixels.map { UInt16($0) << 8 | UInt16(random.uniformInt(256)) }
            return try encoder.encode(GrayImage16(height: gray.height, width: gray.width, samples: samples))
        }
    }
}
