extension FigureScene {
    /// The figure drawn on a `width x height` canvas, elements in order.
    public func rasterized() -> RGBCanvas {
        var canvas = RGBCanvas(width: width, height: height, fill: background)
        for element in elements {
            switch element {
            case let .rect(x, y, width, height, fill, stroke):
                canvas.fillRect(x: x, y: y, width: width, height: height, color: fill)
                if let stroke { canvas.strokeRect(x: x, y: y, width: width, height: height, color: stroke) }
            case let .circle(centerX, centerY, radius, fill):
                canvas.fillCircle(centerX: centerX, centerY: centerY, radius: radius, color: fill)
            case let .text(text):
                canvas.drawText(text.string, x: text.x, y: text.y, color: text.color, scale: text.scale,
                                anchor: text.anchor)
            }
        }
        return canvas
    }
}
