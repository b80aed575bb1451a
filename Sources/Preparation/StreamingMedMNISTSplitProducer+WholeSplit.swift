import Checksums
import Foundation
import RawDatasets

extension StreamingMedMNISTSplitProducer: WholeSplitWriting {
    /// Largest images member (uncompressed bytes) written in one piece: 1 GiB, so that a 224-px DermaMNIST train
    /// split (1.05 GB) still qualifies while memory stays bounded; larger members are streamed window by window.
    public static let wholeMemberLimit = 1 << 30

    /// Yes for members up to `wholeMemberLimit` whose `.npy` header fits in front of the images tensor: the
    /// 8-byte length field plus the int64 sources (16 bytes per record, stored before the images) must be at
    /// least the header's size, which holds from 8 records on for numpy's usual 128-byte header.
    public func canWriteWholeSplit(layout: PreparedLayout) -> Bool {
        split.imagesMember.uncompressedSize <= Self.wholeMemberLimit && !layout.hasDifficultMask
            && layout.imageByteCount == imageByteCount
            && split.imagesMember.uncompressedSize == split.imagesHeader.headerSize + split.count * imageByteCount
            && 8 + 16 * split.count >= split.imagesHeader.headerSize
    }

    /// Maps the output file (`MappedOutputFile`) and inflates the `.npy` member so that its pixel data lands
    /// exactly on the `images` tensor (the member's `.npy` header falls in front of it, onto bytes written
    /// afterwards: the safetensors header and the sources), then writes header, sources and labels and hashes the
    /// file from memory. One decoder pass, no copy of the pixels.
    public func writeWholeSplit(to url: URL, layout: PreparedLayout, metadata: [String: String]) throws -> DatasetDescription.Split {
        let header = layout.splitFileHeader(count: split.count, metadata: metadata)
        let prefix = header.encodedPrefix()
        func fileOffset(_ tensor: String) -> Int { prefix.count + (header.tensors[tensor]?.dataOffsets.lowerBound ?? 0) }
        let fileSize = prefix.count + header.dataByteCount
        let file = try MappedOutputFile(path: url.path, size: fileSize)
        let memberSize = split.imagesMember.uncompressedSize
        let npyHeaderSize = split.imagesHeader.headerSize
        let imagesOffset = fileOffset("images")
        precondition(imagesOffset >= npyHeaderSize, "canWriteWholeSplit guarantees room for the .npy header")
        let start = imagesOffset - npyHeaderSize
        try archive.zip.extractWholeMember(split.imagesMember,
                                           into: UnsafeMutableRawBufferPointer(rebasing: file.bytes[start..<(start + memberSize)]))
        let labels = labelMatrix
        let sources = (precomputedSources() ?? []).map(\.littleEndian)
        prefix.withUnsafeBytes { file.bytes.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        sources.withUnsafeBytes { (file.bytes.baseAddress! + fileOffset("sources")).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        labels.withUnsafeBytes { (file.bytes.baseAddress! + fileOffset("labels")).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        let hasher = SHA256()
        hasher.update(UnsafeRawBufferPointer(file.bytes))
        try file.finish()
        return DatasetDescription.Split(file: url.lastPathComponent, count: split.count,
                                        classCounts: layout.classCounts(of: labels),
                                        sha256: hasher.finalize(), skipped: [])
    }
}
