import Foundation
import Imaging
import Testing

/// The image buffer and its channel conversions.
@Suite struct ImageTests {
    @Test func lumaUsesPillowsIntegerWeights() {
        #expect(Image.luma(red: 255, green: 255, blue: 255) == 255)
        #expect(Image.luma(red: 0, green: 0, blue: 0) == 0)
        #expect(Image.luma(red: 255, green: 0, blue: 0) == 76)   // (19595*255 + 32768) >> 16 = 76.7 -> 76
        #expect(Image.luma(red: 0, green: 255, blue: 0) == 150)  // (38470*255 + 32768) >> 16 = 150.2
        #expect(Image.luma(red: 0, green: 0, blue: 255) == 29)   // (7471*255 + 32768) >> 16 = 29.6
        #expect(Image.luma(red: 10, green: 200, blue: 90) == 131)  // 8595108 >> 16
    }

    @Test func grayToRGBReplicatesAndBack() {
        let gray = Image(height: 2, width: 3, channels: 1, pixels: [0, 1, 2, 100, 200, 255])
        let rgb = gray.converted(toChannels: 3)
        #expect(rgb.pixels == [0, 0, 0, 1, 1, 1, 2, 2, 2, 100, 100, 100, 200, 200, 200, 255, 255, 255])
        #expect(rgb.converted(toChannels: 1) == gray)
        #expect(rgb[1, 2, 1] == 255 && rgb[0, 1, 0] == 1)
    }

    /// Colour to gray equals Pillow's convert("L") on a real photo and on PngSuite colour files.
    @Test func rgbToGrayEqualsPillow() throws {
        let names = ["jpeg/testorig.jpg", "pngsuite/basn2c08.png", "pngsuite/basn3p08.png", "pngsuite/tbrn2c08.png"]
        let reference = try PillowReference.decodeLuma(names.map { try Fixtures.url($0) })
        for name in names {
            let url = try Fixtures.url(name)
            guard case let .pixels(expected, _) = reference.entries[url.lastPathComponent] else {
                Issue.record("Pillow did not convert \(name)")
                continue
            }
            let decoded = name.hasSuffix(".jpg") ? try JPEGDecoder().decode(contentsOf: url)
                : try PNGDecoder().decode(contentsOf: url)
            #expect(mismatch(decoded.converted(toChannels: 1), expected) == nil, "\(name)")
        }
    }

    @Test func subscriptWritesInPlace() {
        var image = Image(height: 2, width: 2, channels: 3)
        image[1, 0, 2] = 9
        #expect(image.pixels == [0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0])
        image.withUnsafeMutablePixels { $0[0] = 4 }
        #expect(image.pixels[0] == 4 && image.sampleCount == 12)
    }
}
