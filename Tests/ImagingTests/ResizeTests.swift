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

    /// Separable reference: first pass rounded to 8 bits (as Pillow stores it), then the second pass, in the
    /// order `Image.passOrderIsVerticalFirst` picks (the vertical-first order runs on the transposed image).
    static func referenceResize(_ image: Image, height: Int, width: Int) -> (image: Image, tie: [Bool]) {
        guard Image.passOrderIsVerticalFirst(height: image.height, width: image.width, outputHeight: height,
                                             outputWidth: width), width != image.width else {
            return referenceResizeHorizontalFirst(image, height: height, width: width)
        }
        let (transposed, ties) = referenceResizeHorizontalFirst(transpose(image), height: width, width: height)
        var tiesBack = [Bool](repeating: false, count: ties.count)
        let c = image.channels
        for y in 0..<height { for x in 0..<width { for channel in 0..<c {
            tiesBack[(y * width + x) * c + channel] = ties[(x * height + y) * c + channel]
        } } }
        return (transpose(transposed), tiesBack)
    }

    static func transpose(_ image: Image) -> Image {
        var pixels = [UInt8](repeating: 0, count: image.sampleCount)
        for y in 0..<image.height { for x in 0..<image.width { for channel in 0..<image.channels {
            pixels[(x * image.height + y) * image.channels + channel] = image[y, x, channel]
        } } }
        return Image(height: image.width, width: image.height, channels: image.channels, pixels: pixels)
    }

    /// Horizontal pass rounded to 8 bits, then vertical pass. Also marks the samples whose exact value sits on a rounding tie (x.5, within 1e-6) in either pass, where
    /// the reference's own floating-point noise decides the rounding.
    static func referenceResizeHorizontalFirst(_ image: Image, height: Int, width: Int) -> (image: Image, tie: [Bool]) {
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

    /// Includes shapes where Pillow 13 runs the vertical pass first (32x32 -> 23x37, 149x227 -> 40x200).
    static let pillowSizes = [(64, 96), (224, 224), (23, 37), (300, 400), (149, 100), (40, 200), (100, 226)]
    static let photoNames = ["jpeg/testorig.jpg", "jpeg/gray.jpg", "pngsuite/basn0g16.png"]
    static let pillowResized: Result<PillowReference, any Error> = Result {
        try PillowReference.resize(photoNames.map { try Fixtures.url($0) }, sizes: pillowSizes.map { ($0.0, $0.1) })
    }

    /// Pillow's own BILINEAR resize on real images (our decode equals Pillow's, so inputs are identical).
    @Test(arguments: pillowSizes)
    func matchesPillowOnPhotos(_ size: (Int, Int)) throws {
        let reference = try Self.pillowResized.get()
        for file in try Self.photoNames.map({ try Fixtures.url($0) }) {
            let key = "\(file.lastPathComponent)@\(size.0)x\(size.1)"
            guard case let .pixels(expected, _) = reference.entries[key] else {
                Issue.record("Pillow did not resize \(file.lastPathComponent)")
                continue
            }
            let decoded = file.pathExtension == "png" ? try PNGDecoder().decode(contentsOf: file)
                : try JPEGDecoder().decode(contentsOf: file)
            let ours = decoded.resized(height: size.0, width: size.1)
            try #require(ours.channels == expected.channels && ours.height == expected.height)
            let difference = sampleDifference(ours, expected)
            #expect(difference.maximum <= 1, "\(file.lastPathComponent) to \(size): max \(difference.maximum)")
            #expect(difference.differing == 0, "\(file.lastPathComponent) to \(size): \(difference.differing) differ")
        }
    }

    /// Noise images on both sides of the pass-order boundary (`height - outputHeight > 2 * (width - outputWidth)`),
    /// where the two orders disagree on many samples: ours must equal Pillow's exactly on both sides.
    @Test func passOrderMatchesPillowAtTheBoundary() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("fednc-resize-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sources = [(100, 60), (100, 69), (100, 70), (61, 40)].enumerated().map { index, size in
            Self.noiseImage(height: size.0, width: size.1, channels: 1 + 2 * (index % 2), seed: UInt64(50 + index))
        }
        var files: [URL] = []
        for source in sources {
            let url = folder.appendingPathComponent("noise-\(source.height)x\(source.width).png")
            try Data(PNGEncoder(compressionLevel: 1).encode(source)).write(to: url)
            files.append(url)
        }
        let sizes = [(59, 40), (60, 40), (40, 40), (40, 30), (40, 31)]
        let reference = try PillowReference.resize(files, sizes: sizes.map { ($0.0, $0.1) })
        var verticalFirstSeen = false, horizontalFirstSeen = false
        for (source, file) in zip(sources, files) {
            for size in sizes {
                let key = "\(file.lastPathComponent)@\(size.0)x\(size.1)"
                guard case let .pixels(expected, _) = reference.entries[key] else {
                    Issue.record("Pillow did not resize \(key)")
                    continue
                }
                let ours = source.resized(height: size.0, width: size.1)
                #expect(mismatch(ours, expected) == nil, "\(key)")
                let verticalFirst = Image.passOrderIsVerticalFirst(height: source.height, width: source.width,
                                                                   outputHeight: size.0, outputWidth: size.1)
                if size.0 != source.height && size.1 != source.width {
                    verticalFirstSeen = verticalFirstSeen || verticalFirst
                    horizontalFirstSeen = horizontalFirstSeen || !verticalFirst
                }
            }
        }
        #expect(verticalFirstSeen && horizontalFirstSeen, "both pass orders must be exercised")
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
