/// A tiny RGB drawing surface (row-major, 3 bytes per pixel) for the histogram figure: rectangles, circles and
/// digits from a 3x5 pixel font drawn at twice the size. Drawing outside the canvas is clipped.
struct RGBCanvas {
    typealias Color = (UInt8, UInt8, UInt8)

    let width: Int
    let height: Int
    private(set) var pixels: [UInt8]

    init(width: Int, height: Int, fill: Color) {
        precondition(width > 0 && height > 0, "canvas size \(width)x\(height) must be positive")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fillRect(x: 0, y: 0, width: width, height: height, color: fill)
    }

    mutating func setPixel(x: Int, y: Int, color: Color) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let offset = (y * width + x) * 3
        pixels[offset] = color.0
        pixels[offset + 1] = color.1
        pixels[offset + 2] = color.2
    }

    mutating func fillRect(x: Int, y: Int, width: Int, height: Int, color: Color) {
        for row in y..<(y + height) {
            for column in x..<(x + width) { setPixel(x: column, y: row, color: color) }
        }
    }

    /// A one-pixel outline of the rectangle `[x, x+width) x [y, y+height)`.
    mutating func strokeRect(x: Int, y: Int, width: Int, height: Int, color: Color) {
        for column in x..<(x + width) {
            setPixel(x: column, y: y, color: color)
            setPixel(x: column, y: y + height - 1, color: color)
        }
        for row in y..<(y + height) {
            setPixel(x: x, y: row, color: color)
            setPixel(x: x + width - 1, y: row, color: color)
        }
    }

    /// Every pixel whose centre lies within `radius` of the centre.
    mutating func fillCircle(centerX: Double, centerY: Double, radius: Double, color: Color) {
        let top = Int((centerY - radius).rounded(.down))
        let bottom = Int((centerY + radius).rounded(.up))
        let left = Int((centerX - radius).rounded(.down))
        let right = Int((centerX + radius).rounded(.up))
        for row in top...bottom {
            for column in left...right {
                let dx = Double(column) + 0.5 - centerX
                let dy = Double(row) + 0.5 - centerY
                if dx * dx + dy * dy <= radius * radius { setPixel(x: column, y: row, color: color) }
            }
        }
    }

    /// 3x5 glyphs of 0-9, one row per 3-bit value (bit 2 = left column).
    private static let digitGlyphs: [[UInt8]] = [
        [7, 5, 5, 5, 7], [2, 6, 2, 2, 7], [7, 1, 7, 4, 7], [7, 1, 7, 1, 7], [5, 5, 7, 1, 1],
        [7, 4, 7, 1, 7], [7, 4, 7, 5, 7], [7, 1, 1, 1, 1], [7, 5, 7, 5, 7], [7, 5, 7, 1, 7],
    ]
    /// Each font pixel becomes `scale x scale` canvas pixels.
    private static let scale = 2

    /// Draws the decimal digits of `number` (>= 0) centred on the given point.
    mutating func drawNumber(_ number: Int, centerX: Int, centerY: Int, color: Color) {
        let digits = String(max(0, number)).compactMap { $0.wholeNumberValue }
        let scale = Self.scale
        let glyphWidth = 3 * scale
        let totalWidth = digits.count * glyphWidth + (digits.count - 1) * scale
        var left = centerX - totalWidth / 2
        let top = centerY - 5 * scale / 2
        for digit in digits {
            for (row, bits) in Self.digitGlyphs[digit].enumerated() {
                for column in 0..<3 where bits & (4 >> UInt8(column)) != 0 {
                    fillRect(x: left + column * scale, y: top + row * scale, width: scale, height: scale, color: color)
                }
            }
            left += glyphWidth + scale
        }
    }
}
