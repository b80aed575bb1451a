import RawDatasets

/// One MedMNIST split as sources: images from `ImageArrayStorage`, labels one-hot (multi-class, K classes) or
/// multi-hot as stored (multi-label).
public struct MedMNISTSourceImages: SourceImageSet {
    public let file: String
    public let split: MedMNISTSplit
    public let storage: ImageArrayStorage
    public let height: Int
    public let width: Int
    public let channels: Int
    /// K: classes for multi-class files, L for multi-label.
    public let labelWidth: Int
    public let isMultiLabel: Bool

    /// Checks every multi-class label is below `classCount` (throws `MedMNISTError.badLabel` naming the record).
    public init(archive: MedMNISTArchive, split: MedMNISTSplit, storage: ImageArrayStorage, classCount: Int) throws {
        file = archive.path
        self.split = split
        self.storage = storage
        height = archive.height
        width = archive.width
        channels = archive.channels
        isMultiLabel = archive.labelWidth > 1
        labelWidth = isMultiLabel ? archive.labelWidth : classCount
        if !isMultiLabel, let bad = split.labels.firstIndex(where: { Int($0) >= classCount }) {
            throw MedMNISTError.badLabel(file: archive.path, split: split.name, record: bad,
                                         detail: "label \(split.labels[bad]) but the file's dataset has \(classCount) classes")
        }
    }

    public var count: Int { split.count }

    public func copyPixels(of index: Int, into output: UnsafeMutableBufferPointer<UInt8>) {
        let image = storage.image(at: index)
        _ = output.update(fromContentsOf: image)
    }

    public func copyLabels(of index: Int, into output: UnsafeMutableBufferPointer<UInt8>) {
        if isMultiLabel {
            for column in 0..<labelWidth { output[column] = split.labels[index * labelWidth + column] }
        } else {
            output[Int(split.labels[index])] = 1
        }
    }

    public func classIndex(of index: Int) -> Int? { isMultiLabel ? nil : Int(split.labels[index]) }

    public func name(of index: Int) -> String { "\(split.name)_images.npy record \(index)" }
}
