/// `[N, 3, H, W]` float32 from 8-bit NHWC images `pixels` (`count * height * width * channels` bytes; `channels`
/// 1, repeated to the 3 output channels, or 3): each element `Float(byte) / 255`. Parallel over images.
func planarImages(fromBytes pixels: [UInt8], count: Int, height: Int, width: Int, channels: Int) -> Tensor {
    precondition(channels == 1 || channels == 3, "planarImages: channels must be 1 or 3, got \(channels)")
    precondition(pixels.count == count * height * width * channels,
                 "planarImages: \(pixels.count) bytes for \(count) x \(height) x \(width) x \(channels)")
    var planar = Tensor(uninitializedShape: [count, 3, height, width])  // every element written below
    let plane = height * width
    pixels.withUnsafeBufferPointer { bytes in
        planar.withUnsafeMutablePointer { target in
            EngineThreads.parallelChunks(total: count) { _, imageRange in
                for image in imageRange {
                    for channel in 0..<3 {
                        let destination = target + (image * 3 + channel) * plane
                        let source = image * plane * channels + (channels == 1 ? 0 : channel)
                        for index in 0..<plane { destination[index] = Float(bytes[source + index * channels]) / 255 }
                    }
                }
            }
        }
    }
    return planar
}
