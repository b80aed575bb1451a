/// The fixed shape of every record in a prepared dataset.
///
/// Tensors per split file: `images` U8 [N, height, width, channels], `labels` U8 [N, classCount],
/// `sources` I64 [N, 2], and with `hasDifficultMask` also `difficult` U8 [N, classCount] (VOC).
public struct PreparedLayout: Sendable, Equatable, Codable {
    public var height: Int
    public var width: Int
    /// 1 (gray) or 3 (RGB).
    public var channels: Int
    /// K, the number of classes (label columns).
    public var classCount: Int
    public var hasDifficultMask: Bool

    public init(height: Int, width: Int, channels: Int, classCount: Int, hasDifficultMask: Bool = false) {
        precondition(height > 0 && width > 0 && [1, 3].contains(channels) && classCount > 0, "invalid prepared layout")
        self.height = height
        self.width = width
        self.channels = channels
        self.classCount = classCount
        self.hasDifficultMask = hasDifficultMask
    }

    /// Bytes of one image, H x W x C.
    public var imageByteCount: Int { height * width * channels }
}
