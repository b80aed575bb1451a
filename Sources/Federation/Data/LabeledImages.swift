import NeuralNet

/// A set of same-sized 8-bit images with multi-hot labels, held in memory: a client shard, the validation or the
/// test split.
///
/// `pixels` is `count x height x width x channels` row-major (channels 1 = gray or 3 = RGB); `labels` is
/// `count x classCount` row-major, 0 or 1.
public struct LabeledImages: Sendable, Equatable {
    public let height: Int
    public let width: Int
    public let channels: Int
    public let classCount: Int
    public private(set) var pixels: [UInt8]
    public private(set) var labels: [UInt8]

    public init(height: Int, width: Int, channels: Int, classCount: Int, pixels: [UInt8], labels: [UInt8]) {
        precondition(height > 0 && width > 0 && (channels == 1 || channels == 3) && classCount > 0, "bad image shape")
        precondition(pixels.count % (height * width * channels) == 0, "pixels are not whole images")
        precondition(pixels.count / (height * width * channels) == labels.count / classCount
                     && labels.count % classCount == 0, "one label row per image")
        self.height = height
        self.width = width
        self.channels = channels
        self.classCount = classCount
        self.pixels = pixels
        self.labels = labels
    }

    /// Number of images.
    public var count: Int { labels.count / classCount }

    /// Bytes per image, `height * width * channels`.
    public var imageByteCount: Int { height * width * channels }

    /// The images at `indices` (in that order) and their labels as floats, `indices.count x classCount`.
    public func batch(_ indices: some Collection<Int>) -> (images: ImageBatch, labels: [Float]) {
        var batchPixels = [UInt8]()
        batchPixels.reserveCapacity(indices.count * imageByteCount)
        var batchLabels = [Float]()
        batchLabels.reserveCapacity(indices.count * classCount)
        for index in indices {
            precondition(index >= 0 && index < count, "image index \(index) out of range")
            batchPixels.append(contentsOf: pixels[(index * imageByteCount)..<((index + 1) * imageByteCount)])
            for value in labels[(index * classCount)..<((index + 1) * classCount)] { batchLabels.append(Float(value)) }
        }
        let images = ImageBatch(count: indices.count, height: height, width: width, channels: channels,
                                pixels: batchPixels)
        return (images, batchLabels)
    }

    /// The labels of every image as floats, `count x classCount`.
    public var floatLabels: [Float] { labels.map(Float.init) }

    /// The sets one after another (the union of shards, for centralized training). Shapes must match.
    public static func concatenating(_ parts: [LabeledImages]) -> LabeledImages {
        precondition(!parts.isEmpty, "nothing to concatenate")
        let first = parts[0]
        var pixels = [UInt8](), labels = [UInt8]()
        for part in parts {
            precondition(part.height == first.height && part.width == first.width && part.channels == first.channels
                         && part.classCount == first.classCount, "image sets differ in shape")
            pixels.append(contentsOf: part.pixels)
            labels.append(contentsOf: part.labels)
        }
        return LabeledImages(height: first.height, width: first.width, channels: first.channels,
                             classCount: first.classCount, pixels: pixels, labels: labels)
    }
}
