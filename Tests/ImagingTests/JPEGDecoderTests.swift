import Foundation
import Imaging
import Testing

/// JPEG decoding against Pillow (same libjpeg defaults) and the refusal of what we do not decode.
@Suite struct JPEGDecoderTests {
    static let decodableFiles = [
        "testorig.jpg", "testimgint.jpg", "gray.jpg", "progressive.jpg", "subsampling-422.jpg",
        "subsampling-444.jpg", "odd-33x17.jpg", "cmyk-adobe.jpg", "ycck-adobe.jpg", "arithmetic.jpg",
    ]

    static let reference: Result<PillowReference, any Error> = Result {
        try PillowReference.decode(decodableFiles.map { try Fixtures.url("jpeg/\($0)") })
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: Fixtures.url("jpeg/\(name)")))
    }

    static func error(decoding bytes: [UInt8]) -> ImageCodecError? {
        do {
            _ = try JPEGDecoder().decode(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: decodableFiles)
    func decodesLikePillow(_ name: String) throws {
        guard case let .pixels(expected, mode) = try Self.reference.get().entries[name] else {
            Issue.record("Pillow did not decode \(name)")
            return
        }
        let image = try JPEGDecoder().decode(contentsOf: Fixtures.url("jpeg/\(name)"))
        try #require(image.channels == expected.channels && image.height == expected.height
            && image.width == expected.width, "\(name): ours \(image.height)x\(image.width)x\(image.channels), Pillow mode \(mode)")
        let difference = sampleDifference(image, expected)
        #expect(difference.maximum == 0, "\(name): \(difference.differing) samples differ, up to \(difference.maximum)")
    }

    /// Without an Adobe marker the CMYK values are taken as stored (datasets.md). Pillow differs here: it always
    /// assumes Adobe polarity, so the expected pixels are computed from Pillow's CMYK samples by the spec's rule.
    @Test func cmykWithoutAdobeMarkerFollowsTheSpecRule() throws {
        let name = "cmyk-no-adobe.jpg"
        let reference = try PillowReference.decodeCMYKPlain([Fixtures.url("jpeg/\(name)")])
        guard case let .pixels(expected, _) = reference.entries[name] else {
            Issue.record("Pillow did not decode \(name)")
            return
        }
        let image = try JPEGDecoder().decode(Self.bytes(name))
        try #require(image.channels == 3 && image.height == expected.height && image.width == expected.width)
        let difference = sampleDifference(image, expected)
        #expect(difference.maximum == 0, "\(difference.differing) samples differ, up to \(difference.maximum)")
    }

    @Test func headersDescribeTheFiles() throws {
        let gray = try JPEGDecoder.header(of: Self.bytes("gray.jpg"))
        #expect(gray == ImageHeader(width: 227, height: 149, channels: 1, bitDepth: 8, colorModel: .gray,
                                    isInterlaced: false))
        let progressive = try JPEGDecoder.header(of: Self.bytes("progressive.jpg"))
        #expect(progressive.isInterlaced && progressive.colorModel == .yCbCr && progressive.channels == 3)
        let cmyk = try JPEGDecoder.header(of: Self.bytes("cmyk-adobe.jpg"))
        #expect(cmyk.colorModel == .cmyk && cmyk.channels == 3)
        let ycck = try JPEGDecoder.header(of: Self.bytes("ycck-adobe.jpg"))
        #expect(ycck.colorModel == .ycck && ycck.channels == 3 && ycck.width == 61 && ycck.height == 45)
    }

    /// The Adobe marker flips the CMYK interpretation: the two files share scan data but not pixels.
    @Test func adobeMarkerInvertsCMYK() throws {
        let inverted = try JPEGDecoder().decode(Self.bytes("cmyk-adobe.jpg"))
        let plain = try JPEGDecoder().decode(Self.bytes("cmyk-no-adobe.jpg"))
        #expect(sampleDifference(inverted, plain).maximum > 100)
        // With the marker, the round trip RGB -> CMYK -> JPEG -> RGB stays close to the original photo.
        let original = try JPEGDecoder().decode(Self.bytes("testorig.jpg"))
        let difference = sampleDifference(inverted, original)
        #expect(difference.maximum < 80, "max \(difference.maximum)")
    }

    @Test func twelveBitIsRefused() throws {
        guard case let .unsupported(format, detail) = Self.error(decoding: try Self.bytes("precision12.jpg")) else {
            Issue.record("12-bit JPEG was not refused as unsupported")
            return
        }
        #expect(format == .jpeg && detail.contains("precision 12"), "\(detail)")
    }

    @Test func losslessIsRefused() throws {
        guard case let .unsupported(_, detail) = Self.error(decoding: try Self.bytes("lossless.jpg")) else {
            Issue.record("lossless JPEG was not refused as unsupported")
            return
        }
        #expect(detail.lowercased().contains("0xc3"), "\(detail)")
    }

    @Test func truncatedDataIsAnError() throws {
        let whole = try Self.bytes("testorig.jpg")
        for length in [whole.count / 2, whole.count - 2, 200] {
            guard case .truncated = Self.error(decoding: Array(whole.prefix(length))) else {
                Issue.record("\(length) of \(whole.count) bytes: not reported as truncated")
                continue
            }
        }
        guard case .truncated = Self.error(decoding: []) else { Issue.record("empty input"); return }
    }

    @Test func garbageIsAnError() throws {
        let noise = noiseBytes(count: 4096, seed: 7)
        guard case let .wrongFormat(_, detail) = Self.error(decoding: [0x42] + noise) else {
            Issue.record("noise was not reported as not a JPEG")
            return
        }
        #expect(detail.contains("Not a JPEG file"))
        // A valid start followed by noise: any typed error, never a crash.
        #expect(Self.error(decoding: [0xFF, 0xD8, 0xFF, 0xDB] + noise) != nil)
        let png = try [UInt8](Data(contentsOf: Fixtures.url("pngsuite/basn2c08.png")))
        guard case .wrongFormat = Self.error(decoding: png) else { Issue.record("PNG accepted as JPEG"); return }
    }

    @Test(arguments: [2, 4, 8])
    func dctScalingGivesCeilSizes(_ denominator: Int) throws {
        let image = try JPEGDecoder(scaleDenominator: denominator).decode(Self.bytes("testorig.jpg"))
        #expect(image.width == (227 + denominator - 1) / denominator)
        #expect(image.height == (149 + denominator - 1) / denominator)
        // Close to the full-size image reduced by the same factor.
        let full = try JPEGDecoder().decode(Self.bytes("testorig.jpg")).resized(height: image.height, width: image.width)
        var total = 0
        for index in 0..<image.sampleCount { total += abs(Int(image.pixels[index]) - Int(full.pixels[index])) }
        #expect(Double(total) / Double(image.sampleCount) < 8, "mean difference \(Double(total) / Double(image.sampleCount))")
    }

    @Test func requestedChannelsConvert() throws {
        let rgb = try JPEGDecoder().decode(Self.bytes("testorig.jpg"))
        let gray = try JPEGDecoder(outputChannels: 1).decode(Self.bytes("testorig.jpg"))
        #expect(mismatch(gray, rgb.converted(toChannels: 1)) == nil)
        let grayFile = try JPEGDecoder(outputChannels: 3).decode(Self.bytes("gray.jpg"))
        #expect(grayFile.channels == 3 && grayFile.pixels[0] == grayFile.pixels[1])
    }
}

extension JPEGDecoderTests {
    /// Sessions are per call, so parallel decodes (as the preparation pipeline runs them) agree.
    @Test func parallelDecodesAgree() async throws {
        let bytes = try Self.bytes("testorig.jpg")
        let expected = try JPEGDecoder().decode(bytes)
        let results = try await withThrowingTaskGroup(of: Image.self) { group in
            for _ in 0..<8 { group.addTask { try JPEGDecoder().decode(bytes) } }
            return try await group.reduce(into: [Image]()) { $0.append($1) }
        }
        #expect(results.count == 8 && results.allSatisfy { $0 == expected })
    }

    @Test func errorMessagesSayWhatToDo() throws {
        let unsupported = Self.error(decoding: try Self.bytes("precision12.jpg"))
        #expect(unsupported?.description.contains("convert the file") == true, "\(String(describing: unsupported))")
        let truncated = Self.error(decoding: Array(try Self.bytes("testorig.jpg").prefix(3000)))
        #expect(truncated?.description.hasPrefix("truncated JPEG data (Premature end of JPEG file)") == true,
                "\(String(describing: truncated))")
    }
}
