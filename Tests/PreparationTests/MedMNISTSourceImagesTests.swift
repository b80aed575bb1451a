import Foundation
import Preparation
import RawDatasets
import Testing

@Suite("MedMNIST sources for composites (extracted on the split's lane, placed straight onto the canvas)")
struct MedMNISTSourceImagesTests {
    @Test("place() gives the bytes of copyPixels + mergeMaximum, overwriting first and merging after")
    func placeEqualsCopyAndMerge() throws {
        let archive = try MedMNISTArchive(path: try medmnistFixture("breastmnist.npz"))
        let split = archive.splits[1]
        let images = try MedMNISTSourceImages(archive: archive, split: split, classCount: 2) { try archive.loadImages(of: split) }
        try images.prepare()
        let canvasRowBytes = 56, imageBytes = 28 * 28
        var placed = [UInt8](repeating: 0, count: 56 * 56)
        var reference = placed
        var scratch = [UInt8](repeating: 0, count: imageBytes)
        for (order, (source, offset)) in [(3, 2 * 56 + 5), (40, 20 * 56 + 24)].enumerated() {
            placed.withUnsafeMutableBufferPointer { images.place(source, into: $0, at: offset, canvasRowBytes: canvasRowBytes, merge: order > 0) }
            scratch.withUnsafeMutableBufferPointer { images.copyPixels(of: source, into: $0) }
            scratch.withUnsafeMutableBufferPointer { image in
                reference.withUnsafeMutableBufferPointer { canvas in
                    CompositeSplitProducer.mergeMaximum(image, rowBytes: 28, rows: 28, into: canvas, at: offset, canvasRowBytes: canvasRowBytes)
                }
            }
        }
        #expect(placed == reference)
        #expect(placed.contains { $0 != 0 })
    }

    @Test("with composites, a corrupt images member fails on its lane naming file and member; no output is left")
    func corruptMemberWithComposites() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try damagedBreastMNIST(in: folder, member: "val_images.npy", range: 1000..<1200)
        let archive = try MedMNISTArchive(path: path.path)
        let composite = CompositeOptions(mode: .pairwise, singlesPerClass: [.all, .all, .all], pairsPerCombination: [5, 2, 2], seed: 1)
        let (request, _) = try MedMNISTConversion.makeRequest(
            archive: archive, classNames: nil, rawInputs: [], composite: composite,
            output: folder.appendingPathComponent("out"), workers: 2, tool: "test", toolVersion: "0")
        let error = #expect(throws: InflateError.self) { try PreparationPipeline.run(request) }
        #expect(error?.description.contains("damaged.npz:val_images.npy") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["damaged.npz"])
    }
}
