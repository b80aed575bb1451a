import Foundation
import Imaging
import Testing

/// PNG and JPEG encoding: exact PNG round trips, close JPEG round trips, and Pillow reading what we write.
@Suite struct EncoderRoundTripTests {
    static let photo: Result<Image, any Error> = Result {
        try JPEGDecoder().decode(contentsOf: Fixtures.url("jpeg/testorig.jpg"))
    }

    @Test(arguments: [1, 3])
    func pngRoundTripIsExact(_ channels: Int) throws {
        let image = try Self.photo.get().converted(toChannels: channels)
        for level in [0, 6, 9] {
            let encoded = try PNGEncoder(compressionLevel: level).encode(image)
            #expect(mismatch(try PNGDecoder().decode(encoded), image) == nil, "level \(level)")
            let header = try PNGDecoder.header(of: encoded)
            #expect(header.bitDepth == 8 && header.colorModel == (channels == 1 ? .gray : .rgb))
        }
    }

    @Test func png16BitGrayRoundTripIsExact() throws {
        let samples = noiseBytes(count: 2 * 31 * 17, seed: 5)
        let wide = GrayImage16(height: 31, width: 17, samples: (0..<(31 * 17)).map {
            UInt16(samples[2 * $0]) << 8 | UInt16(samples[2 * $0 + 1])
        })
        let encoded = try PNGEncoder().encode(wide)
        #expect(try PNGDecoder.decodeGray16(encoded) == wide)
        #expect(try PNGDecoder().decode(encoded).pixels == wide.samples.map { UInt8($0 >> 8) })
    }

    @Test func pngRGBAKeepsColourAndDropsAlphaOnDecode() throws {
        let rgba = noiseBytes(count: 9 * 7 * 4, seed: 11)
        let encoded = try PNGEncoder().encodeRGBA(rgba, height: 9, width: 7)
        let header = try PNGDecoder.header(of: encoded)
        #expect(header.colorModel == .rgba && header.channels == 3)
        let decoded = try PNGDecoder().decode(encoded)
        let rgb = (0..<(9 * 7)).flatMap { rgba[(4 * $0)..<(4 * $0 + 3)] }
        #expect(decoded.pixels == rgb)
    }

    @Test(arguments: [false, true])
    func jpegRoundTripIsClose(_ progressive: Bool) throws {
        let image = try Self.photo.get()
        for channels in [1, 3] {
            let source = image.converted(toChannels: channels)
            let encoded = try JPEGEncoder(quality: 95, isProgressive: progressive).encode(source)
            let header = try JPEGDecoder.header(of: encoded)
            #expect(header.isInterlaced == progressive && header.channels == channels)
            let decoded = try JPEGDecoder().decode(encoded)
            try #require(decoded.channels == channels && decoded.height == source.height)
            var total = 0
            for index in 0..<decoded.sampleCount { total += abs(Int(decoded.pixels[index]) - Int(source.pixels[index])) }
            let mean = Double(total) / Double(decoded.sampleCount)
            #expect(mean < 2.5, "channels \(channels): mean difference \(mean)")
        }
    }

    @Test func jpegQualityChangesSize() throws {
        let image = try Self.photo.get()
        let small = try JPEGEncoder(quality: 20).encode(image)
        let large = try JPEGEncoder(quality: 95, subsamplesChroma: false).encode(image)
        #expect(small.count * 2 < large.count, "\(small.count) vs \(large.count)")
    }

    @Test func jpegRefusesOversizeImages() {
        let wide = Image(height: 1, width: 70_000, channels: 1)
        #expect(throws: ImageCodecError.self) { try JPEGEncoder().encode(wide) }
    }

    /// Pillow reads our PNGs to the same pixels, and our JPEGs to the pixels we decode from them.
    @Test func pillowReadsWhatWeWrite() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("fednc-imaging-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let photo = try Self.photo.get()
        let files: [(String, [UInt8], Image)] = try [
            ("rgb.png", PNGEncoder().encode(photo), photo),
            ("gray.png", PNGEncoder().encode(photo.converted(toChannels: 1)), photo.converted(toChannels: 1)),
            ("rgb.jpg", JPEGEncoder(quality: 80).encode(photo), photo),
            ("gray-progressive.jpg", JPEGEncoder(isProgressive: true).encode(photo.converted(toChannels: 1)), photo),
        ].map { name, bytes, image in
            let url = folder.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            let expected = name.hasSuffix(".png") ? image : try JPEGDecoder().decode(bytes)
            return (name, bytes, expected)
        }
        let reference = try PillowReference.decode(files.map { folder.appendingPathComponent($0.0) })
        for (name, _, expected) in files {
            guard case let .pixels(pillow, _) = reference.entries[name] else {
                Issue.record("Pillow could not read our \(name)")
                continue
            }
            #expect(mismatch(pillow, expected) == nil, "\(name)")
        }
    }
}
