import NeuralNet

/// A set of same-sized 8-bit images with multi-hot labels: a client shard, the validation or the test split, or
/// the union of shards (centralized training; segments are referenced, not copied).
///
/// Images are `height x width x channels` (channels 1 = gray or 3 = RGB), held in one or more segments of
/// `ImageRows`; `labels` is `count x classCount` row-major, 0 or 1, in memory.
public struct LabeledImages: Sendable {
    public let height: Int
    public let width: Int
    public let channels: Int
    public let classCount: Int
    public private(set) var labels: [UInt8]
    /// Segments in order, each with its image count.
    private var segments: [(rows: ImageRows, count: Int)]

    /// Images from `rows` (`labels.count / classCount` of them).
    public init(height: Int, width: Int, channels: Int, classCount: Int, rows: ImageRows, labels: [UInt8]) {
        precondition(height > 0 && width > 0 && (channels == 1 || channels == 3) && classCount > 0, "bad image shape")
        precondition(labels.count % classCount == 0, "labels are not whole rows")
        if case .memory(let pixels) = rows {
            precondition(pixels.count == labels.count / classCount * height * width * channels,
                         "one label row per image")
        }
        self.height = height
        self.width = width
        self.channels = channels
        self.classCount = classCount
        self.labels = labels
        self.segments = [(rows, labels.count / classCount)]
    }

    /// Images held in memory: `pixels` is `count x height x width x channels` row-major.
    public init(height: Int, width: Int, channels: Int, classCount: Int, pixels: [UInt8], labels: [UInt8]) {
        self.init(height: height, width: width, channels: channels, classCount: classCount, rows: .memory(pixels),
                  labels: labels)
    }

    /// Number of images.
    public var count: Int { labels.count / classCount }

    /// Bytes per image, `height * width * channels`.
    public var imageByteCount: Int { height * width * channels }

    /// Every image's bytes, `count x height x width x channels` (a copy).
    public var pixels: [UInt8] { batch(0..<count).images.pixels }

    /// The images at `indices` (in that order) and their labels as floats, `indices.count x classCount`.
    public func batch(_ indices: some Collection<Int>) -> (images: ImageBatch, labels: [Float]) {
        var batchPixels = [UInt8]()
        batchPixels.reserveCapacity(indices.count * imageByteCount)
        var batchLabels = [Float]()
        batchLabels.reserveCapacity(indices.count * classCount)
        for index in indices {
            precondition(index >= 0 && index < count, "image index \(index) out of range")
            var local = index
            for segment in segments {
                if local < segment.count {
                    segment.rows.appendImage(local, imageByteCount: imageByteCount, to: &batchPixels)
                    break
                }
                local -= segment.count
            }
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
        var result = parts[0]
        for part in parts.dropFirst() {
            precondition(part.height == result.height && part.width == result.width && part.channels == result.channels
                         && part.classCount == result.classCount, "image sets differ in shape")
            result.labels.append(contentsOf: part.labels)
            result.segments.append(contentsOf: part.segments)
        }
        return result
    }
}
