import Foundation
import Imaging
import Testing

/// Resize against the filter's definition (a plain Double reference written here) and against Pillow.
@Suite struct ResizeTests {
    /// One axis of the definition: output `i` is centred at `(i + 0.5) * scale`; input `j` (centred at `j + 0.5`)
    /// weighs `max(0, 1 - |j + 0.5 - center| / filterScale)`, `filterScale = max(scale, 1)`; weights normalised.
    static func referenceWeights(input: Int, output: Int) -> [[Double]] {
        let scale = Double(input) / Double(output)
        let filterScale = max(scale, 1)
        return (0..<output).map { index in
            let center = (Double(index) + 0.5) * scale
            let raw = (0..<input).map { j in max(0, 1 - abs(Double(j) + 0.5 - center) / filterScale) }
            let sum = raw.reduce(0, +)
            return raw.map { $0 / sum }
        }
    }

    /// Separable reference: horizontal pass rounded to 8 bits (as Pillow stores it), then vertical pass.
    /// Also marks the samples whose exact value sits on a rounding tie (x.5, within 1e-6) in either pass, where
    /// the reference's own floating-point noise decides the rounding.
    static func referenceResize(_ image: Image, height: Int, width: Int) -> (image: Image, tie: [Bool]) {
        func round8(_ value: Double) -> UInt8 { UInt8(min(max((value + 0.5).rounded(.down), 0), 255)) }
        func isTie(_ value: Double) -> Bool { abs(value - value.rounded(.down) - 0.5) < 1e-6 }
        let c = image.channels
        var rows = image
        var rowTies = [Bool](repeating: false, count: image.height * image.width * c)
        if width != image.width {
            let weights = referenceWeights(input: image.width, output: width)
            var pixels = [UInt8](repeating: 0, count: image.height * width * c)
            rowTies = [Bool](repeating: false, count: image.height * width * c)
            for y in 0..<image.height {
                for x in 0..<width {
                    for channel in 0..<c {
                        var sum = 0.0
                        for j in 0..<image.width { sum += weights[x][j] * Double(image[y, j, channel]) }
                        pixels[(y * width + x) * c + channel] = round8(sum)
                        rowTies[(y * width + x) * c + channel] = isTie(sum)
                    }
                }
            }
            rows = Image(height: image.height, width: width, channels: c, pixels: pixels)
        }
        guard height != image.height else { return (rows, rowTies) }
        let weights = referenceWeights(input: image.height, output: height)
        var pixels = [UInt8](repeating: 0, count: height * width * c)
        var ties = [Bool](repeating: false, count: height * width * c)
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<c {
                    var sum = 0.0
                    var readsTie = false
                    for j in 0..<image.height where weights[y][j] > 0 {
                        sum += weights[y][j] * Double(rows[j, x, channel])
                        readsTie = readsTie || rowTies[(j * width + x) * c + channel]
                    }
                    pixels[(y * width + x) * c + channel] = round8(sum)
                    ties[(y * width + x) * c + channel] = readsTie || isTie(sum)
                }
            }
        }
        return (Image(height: height, width: width, channels: c, pixels: pixels), ties)
    }

    static func noiseImage(height: Int, width: Int, channels: Int, seed: UInt64) -> Image {
        Image(height: height, width: width, channels: channels,
              pixels: noiseBytes(count: height * width * channels, seed: seed))
    }

    /// (input height, input width, output height, output width, channels)
    static let shapes: [(Int, Int, Int, Int, Int)] = [
        (40, 53, 13, 7, 3), (40, 53, 13, 7, 1), (9, 11, 31, 24, 3), (30, 30, 7, 45, 1), (17, 64, 17, 5, 3),
        (64, 17, 3, 17, 1), (25, 25, 1, 1, 3), (8, 100, 8, 33, 1), (3, 2, 224, 224, 1),
    ]

    @Test(arguments: shapes.indices)
    func matchesTheDefinition(_ index: Int) throws {
        let (inH, inW, outH, outW, channels) = Self.shapes[index]
        let source = Self.noiseImage(height: inH, width: inW, channels: channels, seed: UInt64(index + 1))
        let ours = source.resized(height: outH, width: outW)
        let (reference, ties) = Self.referenceResize(source, height: outH, width: outW)
        try #require(ours.height == outH && ours.width == outW && ours.channels == channels)
        // Exact everywhere except on rounding ties, where fixed-point and Double may round apart by one.
        var offTie = 0, onTie = 0
        for sample in 0..<ours.sampleCount {
            let difference = abs(Int(ours.pixels[sample]) - Int(reference.pixels[sample]))
            if ties[sample] { onTie = max(onTie, difference) } else { offTie = max(offTie, difference) }
        }
        #expect(offTie == 0, "shape \(Self.shapes[index]): off-tie difference \(offTie)")
        #expect(onTie <= 1, "shape \(Self.shapes[index]): on-tie difference \(onTie)")
    }

    @Test func constantImageStaysConstant() {
        let flat = Image(height: 37, width: 51, channels: 3, pixels: [UInt8](repeating: 173, count: 37 * 51 * 3))
        #expect(flat.resized(height: 10, width: 80).pixels.allSatisfy { $0 == 173 })
    }

    @Test func sameSizeIsIdentity() {
        let source = Self.noiseImage(height: 12, width: 9, channels: 1, seed: 99)
        #expect(source.resized(height: 12, width: 9) == source)
    }

    /// Pillow's own BILINEAR resize on real images (our decode equals Pillow's, so inputs are identical).
    @Test(arguments: [(64, 96), (224, 224), (23, 37), (300, 400), (149, 100)])
    func matchesPillowOnPhotos(_ size: (Int, Int)) throws {
        let files = try [Fixtures.url("jpeg/testorig.jpg"), Fixtures.url("jpeg/gray.jpg")]
        let reference = try PillowReference.resize(files, height: size.0, width: size.1)
        for file in files {
            guard case let .pixels(expected, _) = reference.entries[file.lastPathComponent] else {
                Issue.record("Pillow did not resize \(file.lastPathComponent)")
                continue
            }
            let ours = try JPEGDecoder().decode(contentsOf: file).resized(height: size.0, width: size.1)
            try #require(ours.channels == expected.channels && ours.height == expected.height)
            let difference = sampleDifference(ours, expected)
            #expect(difference.maximum <= 1, "\(file.lastPathComponent) to \(size): max \(difference.maximum)")
            #expect(difference.differing == 0, "\(file.lastPathComponent) to \(size): \(difference.differing) differ")
        }
    }

    @Test func coefficientsSumToOneInFixedPoint() {
        for (input, output) in [(500, 224), (224, 500), (375, 224), (7, 3), (1024, 224)] {
            let coefficients = ResampleCoefficients(inputSize: input, outputSize: output)
            for index in 0..<output {
                let row = coefficients.fixedWeights[(index * coefficients.taps)..<((index + 1) * coefficients.taps)]
                let sum = row.reduce(0) { $0 + Int($1) }
                #expect(abs(sum - (1 << 22)) <= coefficients.taps, "\(input)->\(output) row \(index): \(sum)")
            }
        }
    }
}
