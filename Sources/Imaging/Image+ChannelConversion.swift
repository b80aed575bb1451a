extension Image {
    /// Pillow's integer luma (ITU-R 601-2 weights in 16-bit fixed point, rounded):
    /// `L = (19595 * R + 38470 * G + 7471 * B + 32768) >> 16`.
    @inlinable
    public static func luma(red: UInt8, green: UInt8, blue: UInt8) -> UInt8 {
        UInt8(truncatingIfNeeded: (19595 &* UInt32(red) &+ 38470 &* UInt32(green) &+ 7471 &* UInt32(blue)
            &+ 32768) >> 16)
    }

    /// This image with `channels` samples per pixel (1 or 3). RGB to gray uses Pillow's integer luma
    /// (`luma(red:green:blue:)`); gray to RGB replicates the sample. Same channel count: returns `self`.
    public func converted(toChannels target: Int) -> Image {
        precondition(target == 1 || target == 3, "Image: channels must be 1 or 3, not \(target)")
        if target == channels { return self }
        let count = height * width
        let converted: [UInt8]
        if target == 1 {
            converted = [UInt8](unsafeUninitializedCapacity: count) { gray, initialized in
                pixels.withUnsafeBufferPointer { rgb in
                    for index in 0..<count {
                        gray[index] = Image.luma(red: rgb[3 * index], green: rgb[3 * index + 1],
                                                 blue: rgb[3 * index + 2])
                    }
                }
                initialized = count
            }
        } else {
            converted = [UInt8](unsafeUninitializedCapacity: count * 3) { rgb, initialized in
                pixels.withUnsafeBufferPointer { gray in
                    for index in 0..<count {
                        let value = gray[index]
                        rgb[3 * index] = value
                        rgb[3 * index + 1] = value
                        rgb[3 * index + 2] = value
                    }
                }
                initialized = count * 3
            }
        }
        return Image(height: height, width: width, channels: target, pixels: converted)
    }
}
