/// One split of a MedMNIST `.npz`: its labels (loaded, small) and where its images are.
public struct MedMNISTSplit: Sendable {
    /// `train`, `val` or `test`.
    public let name: String
    /// Number of images.
    public let count: Int
    /// Labels, `count x labelWidth` bytes row-major: class indices (width 1) or 0/1 multi-hot (width L).
    public let labels: [UInt8]
    /// The `<split>_images.npy` member and its header.
    public let imagesMember: ZipMember
    public let imagesHeader: NPYHeader
}

/// A 2D MedMNIST (v2/v3, MedMNIST+) `.npz`: images uint8 (N,H,W) or (N,H,W,3), labels uint8 (N,), (N,1)
/// (multi-class) or (N,L) (multi-label). Headers and labels are read at opening; images on demand, streamed.
public struct MedMNISTArchive: Sendable {
    public static let splitNames = ["train", "val", "test"]

    public let path: String
    public let zip: ZipArchive
    public let splits: [MedMNISTSplit]
    /// Image height, width and channels (1 or 3).
    public let height: Int
    public let width: Int
    public let channels: Int
    /// 1 for multi-class labels, L for multi-label.
    public let labelWidth: Int

    public init(path: String) throws {
        self.path = path
        zip = try ZipArchive(path: path)
        var splits: [MedMNISTSplit] = []
        var imageShape: [Int]?
        var labelWidth: Int?
        for name in Self.splitNames {
            let imagesMember = try zip.member(named: "\(name)_images.npy")
            let labelsMember = try zip.member(named: "\(name)_labels.npy")
            var imageStream = try zip.openMember(imagesMember)
            let imagesHeader = try NPYHeader.read(from: &imageStream, memberSize: imagesMember.uncompressedSize)
            let origin = "\(path):\(imagesMember.name)"
            guard imagesHeader.shape.count == 3 || (imagesHeader.shape.count == 4 && [1, 3].contains(imagesHeader.shape[3])) else {
                throw NPYError.unexpectedShape(origin: origin, shape: imagesHeader.shape, expected: "(N, H, W) or (N, H, W, 3)")
            }
            guard !imagesHeader.fortranOrder else { throw NPYError.fortranOrder(origin: origin) }
            let shape = Array(imagesHeader.shape.dropFirst()) + (imagesHeader.shape.count == 3 ? [1] : [])
            if let imageShape, imageShape != shape {
                throw MedMNISTError.inconsistent(file: path, detail: "\(name) images are \(shape), other splits \(imageShape)")
            }
            imageShape = shape
            let count = imagesHeader.shape[0]
            let (labels, width) = try Self.readLabels(zip: zip, member: labelsMember, count: count)
            if let labelWidth, labelWidth != width {
                throw MedMNISTError.inconsistent(file: path, detail: "\(name) labels have width \(width), other splits \(labelWidth)")
            }
            labelWidth = width
            splits.append(MedMNISTSplit(name: name, count: count, labels: labels, imagesMember: imagesMember, imagesHeader: imagesHeader))
        }
        self.splits = splits
        height = imageShape?[0] ?? 0
        width = imageShape?[1] ?? 0
        channels = imageShape?[2] ?? 1
        self.labelWidth = labelWidth ?? 1
        if self.labelWidth > 1 {
            for split in splits {
                if let index = split.labels.firstIndex(where: { $0 > 1 }) {
                    throw MedMNISTError.badLabel(file: path, split: split.name, record: index / self.labelWidth,
                                                 detail: "multi-label value \(split.labels[index]) is not 0 or 1")
                }
            }
        }
    }

    /// The split called `name` (`train`, `val`, `test`).
    public func split(named name: String) -> MedMNISTSplit? { splits.first { $0.name == name } }

    /// Bytes per image, H x W x C.
    public var imageByteCount: Int { height * width * channels }

    /// Extracts the split's images (one libdeflate call) into random-access storage, checking the member's size
    /// and CRC-32.
    public func loadImages(of split: MedMNISTSplit, spillDirectory: String? = nil,
                           inMemoryLimit: Int = ImageArrayStorage.inMemoryLimit) throws -> ImageArrayStorage {
        try ImageArrayStorage(count: split.count, imageByteCount: imageByteCount, member: split.imagesMember,
                              headerSize: split.imagesHeader.headerSize, of: zip, spillDirectory: spillDirectory,
                              inMemoryLimit: inMemoryLimit)
    }

    private static func readLabels(zip: ZipArchive, member: ZipMember, count: Int) throws -> ([UInt8], Int) {
        var stream = try zip.openMember(member)
        let header = try NPYHeader.read(from: &stream, memberSize: member.uncompressedSize)
        let origin = "\(zip.file.path):\(member.name)"
        let shape = header.shape
        guard (shape.count == 1 || shape.count == 2), shape[0] == count, shape.count == 1 || shape[1] >= 1 else {
            throw NPYError.unexpectedShape(origin: origin, shape: shape, expected: "(\(count),) or (\(count), L) to match the images")
        }
        let width = shape.count == 1 ? 1 : shape[1]
        var labels = try stream.readBytes(header.elementCount, context: "the labels")
        _ = try stream.drain()
        if header.fortranOrder && width > 1 {
            var rowMajor = [UInt8](repeating: 0, count: labels.count)
            for row in 0..<count { for column in 0..<width { rowMajor[row * width + column] = labels[column * count + row] } }
            labels = rowMajor
        }
        return (labels, width)
    }
}
