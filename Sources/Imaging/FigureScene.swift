/// A figure as drawing primitives in pixel coordinates (origin top left, y down), rendered either as a raster
/// (`rasterized()`, text in `PixelFont`) or as SVG (`svg(comment:)`): both show the same shapes at the same places,
/// so a test can check the layout once (`textBounds`) and trust both outputs.
public struct FigureScene: Sendable {
    public typealias Color = RGBCanvas.Color

    /// One line of text: drawn in `PixelFont` with each font pixel `scale x scale` canvas pixels, vertically
    /// centred on `y`, horizontally placed as `anchor` says relative to `x`.
    public struct Text: Sendable {
        public var string: String
        public var x: Int
        public var y: Int
        public var scale: Int
        public var anchor: RGBCanvas.TextAnchor
        public var color: Color

        /// The box the raster text occupies (`RGBCanvas.textBounds`).
        public var bounds: RGBCanvas.Box {
            RGBCanvas.textBounds(string, x: x, y: y, scale: scale, anchor: anchor)
        }
    }

    /// A drawing primitive.
    public enum Element: Sendable {
        /// The rectangle `[x, x+width) x [y, y+height)` filled, with an optional one-pixel outline.
        case rect(x: Int, y: Int, width: Int, height: Int, fill: Color, stroke: Color?)
        /// A filled disc.
        case circle(centerX: Double, centerY: Double, radius: Double, fill: Color)
        /// A line of text.
        case text(Text)
    }

    /// Size in pixels (> 0).
    public let width: Int
    public let height: Int
    /// Background colour.
    public let background: Color
    /// Primitives in drawing order.
    public private(set) var elements: [Element] = []

    /// A `width x height` figure (both > 0) holding `elements`.
    public init(width: Int, height: Int, background: Color = (255, 255, 255), elements: [Element] = []) {
        precondition(width > 0 && height > 0, "figure size \(width)x\(height) must be positive")
        self.width = width
        self.height = height
        self.background = background
        self.elements = elements
    }

    /// Every text element, in drawing order.
    public var texts: [Text] {
        elements.compactMap { element -> Text? in
            guard case let .text(text) = element else { return nil }
            return text
        }
    }

    public mutating func addRect(x: Int, y: Int, width: Int, height: Int, fill: Color, stroke: Color? = nil) {
        elements.append(.rect(x: x, y: y, width: width, height: height, fill: fill, stroke: stroke))
    }

    public mutating func addCircle(centerX: Double, centerY: Double, radius: Double, fill: Color) {
        elements.append(.circle(centerX: centerX, centerY: centerY, radius: radius, fill: fill))
    }

    public mutating func addText(_ string: String, x: Int, y: Int, color: Color, scale: Int = 2,
                                 anchor: RGBCanvas.TextAnchor = .left) {
        elements.append(.text(string, x: x, y: y, color: color, scale: scale, anchor: anchor))
    }
}

extension FigureScene.Element {
    /// A `.text` element.
    public static func text(_ string: String, x: Int, y: Int, color: FigureScene.Color, scale: Int = 2,
                            anchor: RGBCanvas.TextAnchor = .left) -> Self {
        .text(FigureScene.Text(string: string, x: x, y: y, scale: scale, anchor: anchor, color: color))
    }
}
