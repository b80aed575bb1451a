/// The ten filled patterns the VOC and ChestX-ray14 sample generators draw, one per class family, chosen to be
/// easy for a small CNN to tell apart (different outlines, holes and stripe directions).
///
/// Membership is tested in the shape's own square: `u`, `v` in [-1, 1] from its centre.
enum VOCSampleShape: Int, CaseIterable, Sendable {
    case square, disc, triangle, plus, ring, horizontalStripes, verticalStripes, diamond, cross, hollowSquare

    /// Whether the point `(u, v)` of the unit square belongs to the shape.
    func contains(u: Double, v: Double) -> Bool {
        switch self {
        case .square: return true
        case .disc: return u * u + v * v <= 1
        case .triangle: return v >= 2 * abs(u) - 1
        case .plus: return abs(u) < 0.3 || abs(v) < 0.3
        case .ring: return (0.3...1).contains(u * u + v * v)
        case .horizontalStripes: return Int(((v + 1) * 3).rounded(.down)) % 2 == 0
        case .verticalStripes: return Int(((u + 1) * 3).rounded(.down)) % 2 == 0
        case .diamond: return abs(u) + abs(v) <= 1
        case .cross: return abs(abs(u) - abs(v)) < 0.3
        case .hollowSquare: return max(abs(u), abs(v)) >= 0.6
        }
    }
}

/// A mutable HWC 8-bit pixel buffer the sample generators paint on.
struct VOCSampleCanvas {
    let height: Int
    let width: Int
    let channels: Int
    var pixels: [UInt8]

    init(height: Int, width: Int, channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
        pixels = [UInt8](repeating: 0, count: height * width * channels)
    }

    /// Fills the canvas with `base` (per channel) plus a vertical gradient of `gradient` levels over the height.
    mutating func fillBackground(base: [Int], gradient: Int) {
        for y in 0..<height {
            let shift = gradient * y / max(1, height - 1)
            for x in 0..<width {
                for channel in 0..<channels {
                    pixels[(y * width + x) * channels + channel] = Self.clamp(base[channel] + shift)
                }
            }
        }
    }

    /// Paints `shape` inside the square of half-side `radius` centred at (`centerX`, `centerY`) with `color`
    /// (one value per channel). Parts outside the canvas are clipped.
    mutating func paint(_ shape: VOCSampleShape, centerX: Int, centerY: Int, radius: Int, color: [Int]) {
        let r = max(1, radius)
        for y in max(0, centerY - r)...min(height - 1, centerY + r) {
            for x in max(0, centerX - r)...min(width - 1, centerX + r) {
                let u = Double(x - centerX) / Double(r)
                let v = Double(y - centerY) / Double(r)
                guard shape.contains(u: u, v: v) else { continue }
                for channel in 0..<channels {
                    pixels[(y * width + x) * channels + channel] = Self.clamp(color[channel])
                }
            }
        }
    }

    /// Adds independent uniform noise in `-amplitude...amplitude` to every sample.
    mutating func addNoise(amplitude: Int, using draw: (Int) -> Int) {
        for index in pixels.indices {
            pixels[index] = Self.clamp(Int(pixels[index]) + draw(2 * amplitude + 1) - amplitude)
        }
    }

    static func clamp(_ value: Int) -> UInt8 {
        UInt8(min(255, max(0, value)))
    }
}
