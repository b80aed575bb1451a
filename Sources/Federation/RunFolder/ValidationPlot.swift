import Foundation
import Imaging

/// Validation metrics per round as a line chart: macro-AUC, micro-AUC, macro-F1, micro-F1 (percent, y from 0
/// to 100) against the round. `svg` has axes, labels and a legend; `png()` draws the same as a 640 x 400 raster,
/// its text in the 3 x 5 `PixelFont` (upper case).
public struct ValidationPlot {
    public let history: [RoundRecord]
    public let title: String

    static let width = 640, height = 400
    static let margin = (left: 56, right: 16, top: 32, bottom: 40)
    static let series: [(name: String, color: (UInt8, UInt8, UInt8), value: @Sendable (MultiLabelMetrics) -> Double?)] = [
        ("macro-AUC", (31, 119, 180), { $0.macroAUC }),
        ("micro-AUC", (255, 127, 14), { $0.microAUC }),
        ("macro-F1", (44, 160, 44), { $0.macroF1 }),
        ("micro-F1", (214, 39, 40), { $0.microF1 }),
    ]

    public init(history: [RoundRecord], title: String) {
        self.history = history
        self.title = title
    }

    /// Pixel position of (round, percent).
    func point(round: Int, percent: Double) -> (x: Double, y: Double) {
        let plotWidth = Double(Self.width - Self.margin.left - Self.margin.right)
        let plotHeight = Double(Self.height - Self.margin.top - Self.margin.bottom)
        let lastRound = max(history.last?.round ?? 1, 2)
        let x = Double(Self.margin.left) + plotWidth * Double(round - 1) / Double(lastRound - 1)
        let y = Double(Self.margin.top) + plotHeight * (1 - min(max(percent, 0), 100) / 100)
        return (x, y)
    }

    public var svg: String {
        var parts = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.width)\" height=\"\(Self.height)\" "
                     + "font-family=\"sans-serif\" font-size=\"12\">",
                     "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
                     "<text x=\"\(Self.width / 2)\" y=\"20\" text-anchor=\"middle\">\(escaped(title)): validation</text>"]
        for tick in stride(from: 0, through: 100, by: 20) {
            let (x0, y) = point(round: 1, percent: Double(tick))
            let x1 = Double(Self.width - Self.margin.right)
            parts.append("<line x1=\"\(x0)\" y1=\"\(y)\" x2=\"\(x1)\" y2=\"\(y)\" stroke=\"#ddd\"/>")
            parts.append("<text x=\"\(x0 - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(tick)</text>")
        }
        let lastRound = history.last?.round ?? 1
        for round in Set([1, max(1, lastRound / 2), lastRound]).sorted() {
            let (x, _) = point(round: round, percent: 0)
            parts.append("<text x=\"\(x)\" y=\"\(Self.height - Self.margin.bottom + 16)\" text-anchor=\"middle\">\(round)</text>")
        }
        parts.append("<text x=\"\(Self.width / 2)\" y=\"\(Self.height - 6)\" text-anchor=\"middle\">round</text>")
        for (index, series) in Self.series.enumerated() {
            let color = "rgb(\(series.color.0),\(series.color.1),\(series.color.2))"
            let points = history.compactMap { record in
                series.value(record.validation).map { point(round: record.round, percent: $0) }
            }
            let list = points.map { String(format: "%.1f,%.1f", $0.x, $0.y) }.joined(separator: " ")
            parts.append("<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(list)\"/>")
            let legendX = Self.margin.left + 10 + index * 120, legendY = Self.margin.top + 12
            parts.append("<rect x=\"\(legendX)\" y=\"\(legendY - 9)\" width=\"12\" height=\"10\" fill=\"\(color)\"/>")
            parts.append("<text x=\"\(legendX + 16)\" y=\"\(legendY)\">\(series.name)</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    /// The chart as PNG bytes: the SVG's lines, grid, axis numbers, title and legend, with text in `PixelFont`
    /// (upper case).
    public func png() throws -> [UInt8] {
        var canvas = RGBCanvas(width: Self.width, height: Self.height, fill: (255, 255, 255))
        let ink: RGBCanvas.Color = (40, 40, 40)
        canvas.drawText("\(title): validation", x: Self.width / 2, y: 12, color: ink, anchor: .center)
        for tick in stride(from: 0, through: 100, by: 20) {
            let (x0, y) = point(round: 1, percent: Double(tick))
            canvas.drawLine(from: (x0, y), to: (Double(Self.width - Self.margin.right), y),
                            color: tick == 0 ? (0, 0, 0) : (221, 221, 221))
            canvas.drawText(String(tick), x: Int(x0) - 6, y: Int(y), color: ink, anchor: .right)
        }
        let (axisX, axisBottom) = point(round: 1, percent: 0)
        canvas.drawLine(from: (axisX, axisBottom), to: (axisX, Double(Self.margin.top)), color: (0, 0, 0))
        let lastRound = history.last?.round ?? 1
        for round in Set([1, max(1, lastRound / 2), lastRound]).sorted() {
            let (x, _) = point(round: round, percent: 0)
            canvas.drawText(String(round), x: Int(x), y: Self.height - Self.margin.bottom + 12, color: ink, anchor: .center)
        }
        canvas.drawText("round", x: Self.width / 2, y: Self.height - 10, color: ink, anchor: .center)
        for (index, series) in Self.series.enumerated() {
            let points = history.compactMap { record in
                series.value(record.validation).map { point(round: record.round, percent: $0) }
            }
            for (from, to) in zip(points, points.dropFirst()) { canvas.drawLine(from: from, to: to, color: series.color, thickness: 2) }
            if points.count == 1 { canvas.drawLine(from: points[0], to: points[0], color: series.color, thickness: 4) }
            let legendX = Self.margin.left + 10 + index * 120, legendY = Self.margin.top + 8
            canvas.fillRect(x: legendX, y: legendY - 5, width: 12, height: 10, color: series.color)
            canvas.drawText(series.name, x: legendX + 16, y: legendY, color: ink)
        }
        return try PNGEncoder().encode(canvas.image)
    }

    private func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
