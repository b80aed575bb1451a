import Foundation
import RawDatasets

/// One MedMNIST split as sources: images from `ImageArrayStorage`, labels one-hot (multi-class, K classes) or
/// multi-hot as stored (multi-label).
///
/// The images are extracted by `prepare()`, which the composite producer calls before its first window, on the
/// split's lane: so one split's extraction overlaps another split's composites instead of preceding them all.
/// Pixels may be read only after `prepare()` returned.
public struct MedMNISTSourceImages: CanvasPlacingImageSet {
    public let file: String
    public let split: MedMNISTSplit
    public let height: Int
    public let width: Int
    public let channels: Int
    /// K: classes for multi-class files, L for multi-label.
    public let labelWidth: Int
    public let isMultiLabel: Bool
    private let storage: LazyImageStorage

    /// Checks every multi-class label is below `classCount` (throws `MedMNISTError.badLabel` naming the record).
    /// `load` extracts the split's images (`MedMNISTArchive.loadImages`) when `prepare()` first runs.
    public init(archive: MedMNISTArchive, split: MedMNISTSplit, classCount: Int,
                load: @escaping @Sendable () throws -> ImageArrayStorage) throws {
        file = archive.path
        self.split = split
        storage = LazyImageStorage(load: load)
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

    public func prepare() throws { _ = try storage.loaded() }

    public func copyPixels(of index: Int, into output: UnsafeMutableBufferPointer<UInt8>) {
        _ = output.update(fromContentsOf: storage.prepared.image(at: index))
    }

    public func place(_ index: Int, into canvas: UnsafeMutableBufferPointer<UInt8>, at offset: Int, canvasRowBytes: Int,
                      merge: Bool) {
        let image = storage.prepared.image(at: index)
        let rowBytes = width * channels
        precondition(offset + (height - 1) * canvasRowBytes + rowBytes <= canvas.count, "placement outside the canvas")
        guard let source = image.baseAddress, let target = canvas.baseAddress else { return }
        for row in 0..<height {
            let from = source + row * rowBytes
            let to = target + offset + row * canvasRowBytes
            if merge {
                for index in 0..<rowBytes { to[index] = max(to[index], from[index]) }
            } else {
                to.update(from: from, count: rowBytes)
            }
        }
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

/// Image storage extracted on first use (`loaded()`, thread-safe, once; a failure is rethrown on every call).
/// `prepared` then reads it without the lock: the pipeline hands windows to the workers only after `prepare()`
/// returned (a dispatch hand-off, which orders the write before the reads), and pixels are read per placement.
private final class LazyImageStorage: @unchecked Sendable {
    private let lock = NSLock()
    private let load: @Sendable () throws -> ImageArrayStorage
    private var result: Result<ImageArrayStorage, any Error>?
    /// Set once by a successful `loaded()`.
    private var storage: ImageArrayStorage?

    init(load: @escaping @Sendable () throws -> ImageArrayStorage) { self.load = load }

    func loaded() throws -> ImageArrayStorage {
        try lock.withLock {
            if result == nil {
                result = Result { try load() }
                storage = try? result?.get()
            }
            return try result!.get()
        }
    }

    /// The storage once `loaded()` has succeeded; reading pixels before that is a programming error.
    var prepared: ImageArrayStorage {
        guard let storage else { preconditionFailure("MedMNIST pixels read before prepare() succeeded") }
        return storage
    }
}
