import SeededRandom

/// Draws learnable sample images: class `k` is a distinct shape in a distinct colour, on a noisy dark
/// background, with position, size and colour jitter (so a small CNN must learn shape and colour, not pixels).
///
/// Output: `side x side x channels` bytes, row-major, channels interleaved (gray uses the colour's luma).
public enum SampleShapes {
    /// Shapes by class (classes beyond 10 reuse them with another colour).
    public static let shapeNames = ["disk", "square", "triangle", "plus", "horizontal bar", "vertical bar",
                                    "ring", "diamond", "cross", "two dots"]
    /// Base RGB colour by class.
    public static let colours: [(UInt8, UInt8, UInt8)] = [
        (230, 40, 40), (40, 200, 60), (50, 90, 240), (240, 220, 40), (220, 60, 220),
        (40, 220, 230), (250, 140, 20), (140, 70, 200), (235, 235, 235), (150, 240, 120),
    ]

    /// Renders one image of `classIndex` with draws from `random`, in this order: centre y, centre x, radius,
    /// colour jitter (3), then one noise draw per pixel.
    public static func render(classIndex: Int, side: Int, channels: Int, random: inout Xoshiro256StarStar) -> [UInt8] {
        precondition(side >= 8 && (channels == 1 || channels == 3), "samples need side >= 8 and 1 or 3 channels")
        let minimumRadius = Double(side) * 0.22
        let radius = minimumRadius + random.uniform() * Double(side) * 0.12
        let margin = radius + 1
        let centreY = margin + random.uniform() * max(0, Double(side) - 2 * margin)
        let centreX = margin + random.uniform() * max(0, Double(side) - 2 * margin)
        let base = colours[classIndex % colours.count]
        let jitter = (0..<3).map { _ in random.uniformInt(41) - 20 }
        let rgb = [Int(base.0) + jitter[0], Int(base.1) + jitter[1], Int(base.2) + jitter[2]].map { min(255, max(0, $0)) }
        let shape = classIndex % shapeNames.count
        var image = [UInt8](repeating: 0, count: side * side * channels)
        for y in 0..<side {
            for x in 0..<side {
                let noise = random.uniformInt(48)
                let inside = contains(shape: shape, dy: Double(y) + 0.5 - centreY, dx: Double(x) + 0.5 - centreX, radius: radius)
                let pixel = (y * side + x) * channels
                if channels == 3 {
                    for channel in 0..<3 {
                        image[pixel + channel] = UInt8(inside ? min(255, rgb[channel] * 7 / 8 + noise / 2) : noise)
                    }
                } else {
                    let luma = (19595 * rgb[0] + 38470 * rgb[1] + 7471 * rgb[2] + 32768) >> 16
                    image[pixel] = UInt8(inside ? min(255, max(96, luma) + noise / 2) : noise)
                }
            }
        }
        return image
    }

    /// Whether the offset `(dy, dx)` from the centre lies inside `shape` of size `radius`.
    static func contains(shape: Int, dy: Double, dx: Double, radius r: Double) -> Bool {
        let ay = abs(dy), ax = abs(dx)
        switch shape {
        case 0: return dy * dy + dx * dx <= r * r
        case 1: return max(ay, ax) <= r * 0.8
        case 2: return dy >= -r && dy <= r && ax <= (dy + r) / 2
        case 3: return (ax <= r / 3 && ay <= r) || (ay <= r / 3 && ax <= r)
        case 4: return ay <= r / 3 && ax <= r
        case 5: return ax <= r / 3 && ay <= r
        case 6: let d = (dy * dy + dx * dx).squareRoot(); return d >= r * 0.55 && d <= r
        case 7: return ax + ay <= r
        case 8: return abs(ax - ay) <= r / 4 && max(ax, ay) <= r
        default:
            let left = dy * dy + (dx + r / 2) * (dx + r / 2), right = dy * dy + (dx - r / 2) * (dx - r / 2)
            return min(left, right) <= (r / 2.2) * (r / 2.2)
        }
    }
}
