/// A tiny RGB drawing surface (row-major, 3 bytes per pixel) for raster figures (the partition bubble map, the
/// validation plot): pixels, rectangles, circles, lines and text in `PixelFont`. Drawing outside the canvas is
/// clipped.
public struct RGBCanvas {
    public typealias Color = (UInt8, UInt8, UInt8)

    public let width: Int
    public let height: Int
    /// `height x width x 3` bytes.
    public private(set) var pixels: [UInt8]

    /// The canvas as an `Image` (H x W x 3).
    public var image: Image { Image(height: height, width: width, channels: 3, pixels: pixels) }

    public init(width: Int, height: Int, fill: Color) {
        precondition(width > 0 && height > 0, "canvas size \(width)x\(height) must be positive")
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        fillRect(x: 0, y: 0, width: width, height: height, color: fill)
    }

    public mutating func setPixel(x: Int, y: Int, color: Color) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let offset = (y * width + x) * 3
        pixels[offset] = color.0
        pixels[offset + 1] = color.1
        pixels[offset + 2] = color.2
    }

    public mutating func fillRect(x: Int, y: Int, width: Int, height: Int, color: Color) {
        for row in y..<(y + height) {
            for column in x..<(x + width) { setPixel(x: column, y: row, color: color) }
        }
    }

    /// A one-pixel outline of the rectangle `[x, x+width) x [y, y+height)`.
    public mutating func strokeRect(x: Int, y: Int, width: Int, height: Int, color: Color) {
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
    public mutating func fillCircle(centerX: Double, centerY: Double, radius: Double, color: Color) {
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

    /// A straight line from `from` to `to` (pixel coordinates), `thickness` pixels wide (down and right of it).
    public mutating func drawLine(from: (x: Double, y: Double), to: (x: Double, y: Double), color: Color, thickness: Int = 1) {
        let steps = max(Int(max(abs(to.x - from.x), abs(to.y - from.y)).rounded(.up)), 1)
        for step in 0...steps {
            let t = Double(step) / Double(steps)
            let x = Int((from.x + (to.x - from.x) * t).rounded()), y = Int((from.y + (to.y - from.y) * t).rounded())
            fillRect(x: x, y: y, width: thickness, height: thickness, color: color)
        }
    }

    /// Where `drawText` puts the text relative to its point.
    public enum TextAnchor: Sendable { case left, center, right }

    /// A pixel rectangle `[x, x+width) x [y, y+height)`.
    public struct Box: Sendable, Equatable {
        public var x: Int, y: Int, width: Int, height: Int

        public init(x: Int, y: Int, width: Int, height: Int) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }

        /// Whether the two boxes share a pixel.
        public func intersects(_ other: Box) -> Bool {
            x < other.x + other.width && other.x < x + width && y < other.y + other.height && other.y < y + height
        }
    }

    /// The box `drawText` inks for these arguments: `PixelFont.width(of: text) * scale` wide,
    /// `glyphHeight * scale` high.
    public static func textBounds(_ text: String, x: Int, y: Int, scale: Int = 2, anchor: TextAnchor = .left) -> Box {
        let totalWidth = PixelFont.width(of: text) * scale
        let left = switch anchor {
        case .left: x
        case .center: x - totalWidth / 2
        case .right: x - totalWidth
        }
        return Box(x: left, y: y - PixelFont.glyphHeight * scale / 2, width: totalWidth,
                   height: PixelFont.glyphHeight * scale)
    }

    /// Draws `text` in `PixelFont`, each font pixel `scale x scale` canvas pixels (default 2: 6 x 10 per
    /// character), vertically centred on `y`, horizontally as `anchor` says relative to `x` (`textBounds`).
    public mutating func drawText(_ text: String, x: Int, y: Int, color: Color, scale: Int = 2, anchor: TextAnchor = .left) {
        let box = Self.textBounds(text, x: x, y: y, scale: scale, anchor: anchor)
        var left = box.x
        let top = box.y
        for character in text {
            for (row, bits) in PixelFont.rows(of: character).enumerated() {
                for column in 0..<PixelFont.glyphWidth where bits & (4 >> UInt8(column)) != 0 {
                    fillRect(x: left + column * scale, y: top + row * scale, width: scale, height: scale, color: color)
                }
            }
            left += (PixelFont.glyphWidth + 1) * scale
        }
    }

    /// Draws the decimal digits of `number` (>= 0) centred on the given point, at twice the font's size.
    public mutating func drawNumber(_ number: Int, centerX: Int, centerY: Int, color: Color) {
        drawText(String(max(0, number)), x: centerX, y: centerY, color: color, anchor: .center)
    }
}
