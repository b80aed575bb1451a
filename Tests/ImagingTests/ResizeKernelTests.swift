import Foundation
import Imaging
import Testing

/// The C resize kernels (AVX2 and portable) against the scalar Swift reference: byte-identical output on many
/// seeded random shapes (reductions and enlargements, 1 and 3 channels, both pass orders, single-axis resizes,
/// widths that are not multiples of any vector length) and on the converters' real shapes.
@Suite struct ResizeKernelTests {
    /// A small seeded generator (SplitMix64) for the shapes.
    struct ShapeGenerator {
        var state: UInt64
        mutating func next(_ range: ClosedRange<Int>) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            mixed ^= mixed >> 31
            return range.lowerBound + Int(mixed % UInt64(range.count))
        }
    }

    /// Noise, or (every third image) samples of only 0 and 255, which drive sums to the clamping limits.
    static func sourceImage(height: Int, width: Int, channels: Int, seed: UInt64) -> Image {
        var pixels = noiseBytes(count: height * width * channels, seed: seed)
        if seed % 3 == 0 { pixels = pixels.map { $0 < 128 ? 0 : 255 } }
        return Image(height: height, width: width, channels: channels, pixels: pixels)
    }

    /// The first sample where `ours` differs from `reference`, described; nil when equal.
    static func firstDifference(_ ours: Image, _ reference: Image) -> String? {
        guard ours.height == reference.height, ours.width == reference.width, ours.channels == reference.channels
        else { return "size \(ours.height)x\(ours.width)x\(ours.channels)" }
        guard let index = ours.pixels.indices.first(where: { ours.pixels[$0] != reference.pixels[$0] }) else { return nil }
        return "sample \(index): \(ours.pixels[index]) vs \(reference.pixels[index])"
    }

    @Test(arguments: 0..<8)
    func kernelsEqualTheReferenceOnRandomShapes(_ batch: Int) {
        var generator = ShapeGenerator(state: UInt64(1000 + batch))
        for case_ in 0..<40 {
            let channels = generator.next(0...1) == 0 ? 1 : 3
            let height = generator.next(1...70), width = generator.next(1...(batch < 4 ? 70 : 400))
            // Reductions up to ~8x, enlargements up to ~4x, and (sometimes) an axis kept.
            func outputSize(_ input: Int) -> Int {
                switch generator.next(0...5) {
                case 0: return input
                case 1, 2: return max(1, input / generator.next(1...8))
                case 3: return input * generator.next(1...4) + generator.next(0...3)
                default: return generator.next(1...120)
                }
            }
            let outputHeight = outputSize(height), outputWidth = outputSize(width)
            let source = Self.sourceImage(height: height, width: width, channels: channels,
                                          seed: UInt64(batch * 100 + case_))
            let reference = source.resized(height: outputHeight, width: outputWidth, kernel: .reference)
            for kernel in [ResampleKernel.portable, .fastest] {
                let ours = source.resized(height: outputHeight, width: outputWidth, kernel: kernel)
                let difference = Self.firstDifference(ours, reference)
                #expect(difference == nil,
                        "\(kernel) \(height)x\(width)x\(channels) -> \(outputHeight)x\(outputWidth): \(difference ?? "")")
            }
        }
    }

    /// The converters' shapes: VOC (500x375 and 375x500 RGB, 500x333 gray) and ChestX-ray14 (1024x1024 gray)
    /// to 224x224, and an enlargement.
    @Test(arguments: [(375, 500, 3), (500, 375, 3), (333, 500, 1), (1024, 1024, 1), (100, 150, 3)])
    func kernelsEqualTheReferenceOnConverterShapes(_ shape: (Int, Int, Int)) {
        let source = Self.sourceImage(height: shape.0, width: shape.1, channels: shape.2, seed: 7)
        let reference = source.resized(height: 224, width: 224, kernel: .reference)
        for kernel in [ResampleKernel.portable, .fastest] {
            let difference = Self.firstDifference(source.resized(height: 224, width: 224, kernel: kernel), reference)
            #expect(difference == nil, "\(kernel) \(shape): \(difference ?? "")")
        }
    }

    /// On an x86-64 CPU with AVX2 the fast kernel must really be the AVX2 one (else the tests above would only
    /// compare the portable path twice).
    @Test func fastestIsAVX2WhereTheCPUHasIt() throws {
        #if arch(x86_64) && os(Linux)
        let cpuInfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = cpuInfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        #expect(Image.resampleUsesAVX2 == flags.split(separator: " ").contains("avx2"))
        #endif
    }
}
