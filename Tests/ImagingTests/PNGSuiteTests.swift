import Foundation
import Imaging
import Testing

/// PngSuite (2017jul19): every valid file decodes to Pillow's pixels; every deliberately broken `x*` file throws.
@Suite struct PNGSuiteTests {
    /// Pillow's pixels for the whole suite, computed once (one python3 run).
    static let reference: Result<PillowReference, any Error> = Result {
        try PillowReference.decode(Fixtures.files(in: "pngsuite", withExtension: "png"))
    }

    static let validFiles: [String] = ((try? Fixtures.files(in: "pngsuite", withExtension: "png")) ?? [])
        .map(\.lastPathComponent).filter { !$0.hasPrefix("x") }
    static let brokenFiles: [String] = ((try? Fixtures.files(in: "pngsuite", withExtension: "png")) ?? [])
        .map(\.lastPathComponent).filter { $0.hasPrefix("x") }

    @Test func suiteIsComplete() {
        #expect(Self.validFiles.count == 161)
        #expect(Self.brokenFiles.count == 14)
    }

    @Test(arguments: validFiles)
    func validFileEqualsPillow(_ name: String) throws {
        let reference = try Self.reference.get()
        guard case let .pixels(expected, mode) = reference.entries[name] else {
            Issue.record("Pillow did not decode \(name): \(String(describing: reference.entries[name]))")
            return
        }
        var image = try PNGDecoder().decode(contentsOf: Fixtures.url("pngsuite/\(name)"))
        let header = try PNGDecoder.header(contentsOf: Fixtures.url("pngsuite/\(name)"))
        #expect(header.width == image.width && header.height == image.height && header.channels == image.channels)
        // Pillow opens 16-bit gray+alpha as RGBA: compare our gray replicated to RGB with its convert("RGB").
        if mode == "RGBA" && header.colorModel == .grayAlpha && image.channels == 1 {
            image = image.converted(toChannels: 3)
        }
        #expect(image.channels == expected.channels, "\(name): Pillow mode \(mode)")
        #expect(image.height == expected.height && image.width == expected.width, "\(name)")
        if image.channels == expected.channels && image.height == expected.height && image.width == expected.width {
            let difference = sampleDifference(image, expected)
            #expect(difference.maximum == 0, "\(name): \(difference.differing) samples differ, up to \(difference.maximum)")
        }
    }

    @Test(arguments: brokenFiles)
    func brokenFileThrows(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Fixtures.url("pngsuite/\(name)")))
        #expect(throws: ImageCodecError.self, "\(name) must be rejected") { try PNGDecoder().decode(bytes) }
    }

    /// The broken files fail for the reason their name encodes.
    @Test func brokenFileErrorsNameTheCause() throws {
        func error(_ name: String) throws -> ImageCodecError? {
            let bytes = try [UInt8](Data(contentsOf: Fixtures.url("pngsuite/\(name)")))
            do { _ = try PNGDecoder().decode(bytes); return nil } catch { return error }
        }
        guard case .wrongFormat = try error("xs1n0g01.png") else { Issue.record("signature"); return }
        guard case let .corrupt(_, detail) = try error("xhdn0g08.png") else { Issue.record("IHDR CRC"); return }
        #expect(detail.contains("CRC"), "\(detail)")
        guard case let .corrupt(_, idatDetail) = try error("xcsn0g01.png") else { Issue.record("IDAT CRC"); return }
        #expect(idatDetail.contains("CRC"), "\(idatDetail)")
    }

    /// 16-bit gray keeps full samples on request; their high bytes are what `decode` returns.
    @Test func gray16SamplesKeepLowByte() throws {
        let bytes = try [UInt8](Data(contentsOf: Fixtures.url("pngsuite/basn0g16.png")))
        let wide = try PNGDecoder.decodeGray16(bytes)
        let narrow = try PNGDecoder().decode(bytes)
        #expect(wide.samples.map { UInt8($0 >> 8) } == narrow.pixels)
        #expect(wide.samples.contains { $0 & 0xFF != 0 }, "low bytes must survive")
        let eightBit = try [UInt8](Data(contentsOf: Fixtures.url("pngsuite/basn0g08.png")))
        #expect(throws: ImageCodecError.self) { try PNGDecoder.decodeGray16(eightBit) }
    }
}

extension PNGSuiteTests {
    static func error(decoding bytes: [UInt8]) -> ImageCodecError? {
        do {
            _ = try PNGDecoder().decode(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func truncatedDataIsReportedAsTruncated() throws {
        let whole = try [UInt8](Data(contentsOf: Fixtures.url("pngsuite/basi2c16.png")))
        for length in [5, 8, 40, whole.count / 2] {
            guard case .truncated = Self.error(decoding: Array(whole.prefix(length))) else {
                Issue.record("\(length) of \(whole.count) bytes: \(String(describing: Self.error(decoding: Array(whole.prefix(length)))))")
                continue
            }
        }
        guard case .truncated = Self.error(decoding: []) else { Issue.record("empty input"); return }
    }

    /// Like Pillow, a file whose image data is complete but which lacks IEND (or ends inside it) decodes.
    @Test func missingIENDIsAccepted() throws {
        let whole = try [UInt8](Data(contentsOf: Fixtures.url("pngsuite/basi2c16.png")))
        let complete = try PNGDecoder().decode(whole)
        for cut in [4, 12] {
            #expect(try PNGDecoder().decode(Array(whole.dropLast(cut))) == complete, "without the last \(cut) bytes")
        }
    }

    @Test func noiseAfterTheSignatureIsAnError() throws {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        #expect(Self.error(decoding: signature + noiseBytes(count: 2000, seed: 3)) != nil)
        guard case .wrongFormat = Self.error(decoding: noiseBytes(count: 2000, seed: 4)) else {
            Issue.record("noise not reported as not a PNG")
            return
        }
        let jpeg = try [UInt8](Data(contentsOf: Fixtures.url("jpeg/testorig.jpg")))
        guard case .wrongFormat = Self.error(decoding: jpeg) else { Issue.record("JPEG accepted as PNG"); return }
    }
}
