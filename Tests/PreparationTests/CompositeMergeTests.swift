import Preparation
import Testing

@Suite("Composite placement and merge")
struct CompositeMergeTests {
    /// Two 4 x 4 gray images with known pixels: A = 10 * (y * 4 + x) + 1, B = 200 - 10 * (y * 4 + x) for the pair.
    let imageA: [UInt8] = (0..<16).map { UInt8(10 * $0 + 1) }
    let imageB: [UInt8] = (0..<16).map { UInt8(200 - 10 * $0) }

    private func produce(_ record: CompositeRecord, images: HandMadeImages, canvas: Int) throws -> (pixels: [UInt8], labels: [UInt8], sources: (Int64, Int64)) {
        let plan = CompositePlan(records: [record], canvasHeight: canvas, canvasWidth: canvas, shortClasses: [])
        let producer = CompositeSplitProducer(splitName: "train", plan: plan, images: images)
        var pixels = [UInt8](repeating: 0, count: canvas * canvas * images.channels)
        var labels = [UInt8](repeating: 0, count: images.labelWidth)
        var empty: [UInt8] = []
        var sources: (Int64, Int64) = (0, 0)
        try pixels.withUnsafeMutableBufferPointer { pixelBuffer in
            try labels.withUnsafeMutableBufferPointer { labelBuffer in
                try empty.withUnsafeMutableBufferPointer { difficult in
                    var slots = RecordSlots(pixels: pixelBuffer, labels: labelBuffer, difficult: difficult)
                    try producer.produceRecord(0, into: &slots)
                    sources = slots.sources
                }
            }
        }
        return (pixels, labels, sources)
    }

    @Test("a single lands at its corner on a zero canvas, bytes unchanged")
    func singlePlacement() throws {
        let images = HandMadeImages(images: [imageA], classes: [1], height: 4, width: 4, channels: 1, labelWidth: 3)
        let record = CompositeRecord(classes: [1], placements: [CompositePlacement(source: 0, top: 3, left: 2)], sources: (0, -1))
        let (pixels, labels, sources) = try produce(record, images: images, canvas: 8)
        for y in 0..<8 {
            for x in 0..<8 {
                let inside = (3..<7).contains(y) && (2..<6).contains(x)
                let expected = inside ? imageA[(y - 3) * 4 + (x - 2)] : 0
                #expect(pixels[y * 8 + x] == expected, "pixel (\(y), \(x))")
            }
        }
        #expect(labels == [0, 1, 0])
        #expect(sources == (0, -1))
    }

    @Test("a pair overlaps and merges by per-channel maximum (RGB)")
    func pairMerge() throws {
        // RGB: channel c of A = a + c, of B = b + 2c, so each channel's maximum is checked separately.
        let rgbA = imageA.flatMap { [$0, $0 &+ 1, $0 &+ 2] }
        let rgbB = imageB.flatMap { [$0, $0 &+ 2, $0 &+ 4] }
        let images = HandMadeImages(images: [rgbA, rgbB], classes: [0, 2], height: 4, width: 4, channels: 3, labelWidth: 3)
        let record = CompositeRecord(classes: [0, 2],
                                     placements: [CompositePlacement(source: 1, top: 1, left: 0),
                                                  CompositePlacement(source: 0, top: 3, left: 2)],
                                     sources: (0, 1))
        let (pixels, labels, sources) = try produce(record, images: images, canvas: 8)
        for y in 0..<8 {
            for x in 0..<8 {
                for c in 0..<3 {
                    var expected: UInt8 = 0
                    if (1..<5).contains(y) && (0..<4).contains(x) { expected = max(expected, rgbB[((y - 1) * 4 + x) * 3 + c]) }
                    if (3..<7).contains(y) && (2..<6).contains(x) { expected = max(expected, rgbA[((y - 3) * 4 + (x - 2)) * 3 + c]) }
                    #expect(pixels[(y * 8 + x) * 3 + c] == expected, "pixel (\(y), \(x), \(c))")
                }
            }
        }
        // One overlapping pixel by hand: canvas (3, 2) = max(B[2][2], A[0][0]) = max(200 - 100, 1) = 100 (red).
        #expect(pixels[(3 * 8 + 2) * 3] == 100)
        // Canvas (4, 3) = max(B[3][3] = 50, A[1][1] = 51) = 51 (red).
        #expect(pixels[(4 * 8 + 3) * 3] == 51)
        #expect(labels == [1, 0, 1])
        #expect(sources == (0, 1))
    }

    @Test("mergeMaximum keeps the larger byte of canvas and image")
    func mergeMaximum() {
        var canvas: [UInt8] = [5, 50, 0, 0, 200, 1, 0, 0]
        var image: [UInt8] = [9, 9, 100, 0]
        canvas.withUnsafeMutableBufferPointer { canvasBuffer in
            image.withUnsafeMutableBufferPointer { imageBuffer in
                CompositeSplitProducer.mergeMaximum(imageBuffer, rowBytes: 2, rows: 2, into: canvasBuffer, at: 0, canvasRowBytes: 4)
            }
        }
        #expect(canvas == [9, 50, 0, 0, 200, 1, 0, 0])
    }
}
