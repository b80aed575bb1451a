import Preparation
import RawDatasets
import Testing

@Suite("Planar RGB placement (C kernel)")
struct PlanarRGBTests {
    /// Deterministic pseudo-random bytes (a 64-bit LCG's high byte).
    private func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    /// The plain Swift reference: pixel (y, x) channel c of the planes onto the canvas, copied or maximum-merged.
    private func reference(_ planes: [UInt8], width: Int, height: Int, canvas: [UInt8], offset: Int, rowBytes: Int,
                           merge: Bool) -> [UInt8] {
        var result = canvas
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<3 {
                    let value = planes[channel * width * height + y * width + x]
                    let target = offset + y * rowBytes + 3 * x + channel
                    result[target] = merge ? max(result[target], value) : value
                }
            }
        }
        return result
    }

    @Test("SSSE3 and portable paths equal the Swift reference on random data, copy and merge, any width",
          arguments: [(32, 32), (16, 3), (37, 5), (5, 4), (1, 1)])
    func matchesReference(size: (width: Int, height: Int)) {
        let (width, height) = size
        let planes = randomBytes(3 * width * height, seed: UInt64(width * 100 + height))
        let rowBytes = 3 * width + 21
        let canvasBytes = randomBytes(rowBytes * (height + 2), seed: 7)
        let offset = rowBytes + 4
        for merge in [false, true] {
            let expected = reference(planes, width: width, height: height, canvas: canvasBytes, offset: offset,
                                     rowBytes: rowBytes, merge: merge)
            for kernel in [PlanarRGB.Kernel.fastest, .portable] {
                var canvas = canvasBytes
                planes.withUnsafeBufferPointer { source in
                    canvas.withUnsafeMutableBufferPointer {
                        PlanarRGB.place(UnsafeRawBufferPointer(source), width: width, height: height, into: $0, at: offset, canvasRowBytes: rowBytes,
                                        merge: merge, kernel: kernel)
                    }
                }
                #expect(canvas == expected, "\(width) x \(height), merge \(merge), \(kernel)")
            }
        }
    }

    @Test("CIFAR-10 images placed by the kernel equal the batch's scalar HWC copy merged by mergeMaximum")
    func cifarPlacementMatchesCopyAndMerge() throws {
        var bytes = randomBytes(3 * 3073, seed: 11)
        for record in 0..<3 { bytes[record * 3073] = UInt8(record) }
        let batch = try CIFAR10Batch(name: "b", origin: "b", bytes: bytes, allowShortBatches: true)
        let images = CIFAR10SourceImages(batches: [batch])
        let rowBytes = 64 * 3
        var placed = [UInt8](repeating: 0, count: 64 * rowBytes)
        var merged = placed
        var scratch = [UInt8](repeating: 0, count: 3072)
        for (order, (record, top, left)) in [(0, 3, 5), (2, 27, 30), (1, 20, 10)].enumerated() {
            let offset = top * rowBytes + left * 3
            placed.withUnsafeMutableBufferPointer {
                images.place(record, into: $0, at: offset, canvasRowBytes: rowBytes, merge: order > 0)
            }
            scratch.withUnsafeMutableBufferPointer { scratchBuffer in
                batch.copyPixelsHWC(record: record, into: scratchBuffer)
                merged.withUnsafeMutableBufferPointer {
                    CompositeSplitProducer.mergeMaximum(scratchBuffer, rowBytes: 96, rows: 32, into: $0, at: offset,
                                                        canvasRowBytes: rowBytes)
                }
            }
        }
        #expect(placed == merged)
        #expect(placed.contains { $0 != 0 })
        var copied = [UInt8](repeating: 0, count: 3072)
        copied.withUnsafeMutableBufferPointer { images.copyPixels(of: 1, into: $0) }
        scratch.withUnsafeMutableBufferPointer { batch.copyPixelsHWC(record: 1, into: $0) }
        #expect(copied == scratch)
    }
}
