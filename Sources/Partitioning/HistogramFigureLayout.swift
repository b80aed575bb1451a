import Imaging

/// Places the parts of a `HistogramFigure` (top to bottom): title, subtitle, the `class` axis name, the grid with
/// class names left of each row and client numbers under each column, the `client` axis name, the bubble legend,
/// the cell legend, and a note when the caps left something out. Text is `PixelFont` at scale 2 (8 px per
/// character, 10 px high), the title at scale 3; with the caps and cut names the picture stays under 3,200 x 3,300 pixels.
struct HistogramFigureLayout {
    private let histogram: PartitionHistogram
    private let normalize: Bool
    /// The clients drawn, and the indices of the classes drawn.
    private let drawnClients: [PartitionManifest.Client]
    private let drawnClasses: Range<Int>
    /// The largest cell value drawn (0 when every drawn cell is 0).
    private let largest: Double

    private static let ink: FigureScene.Color = (40, 40, 40)
    private static let gridLine: FigureScene.Color = (200, 200, 200)
    private static let padding = 16, lineHeight = 22
    /// Class names longer than this are cut and end in `..`; so are the dataset name and policy name (from the
    /// file too) beyond `longestTitleName`, so no field can widen the figure without bound.
    private static let longestName = 24, longestTitleName = 40

    init(histogram: PartitionHistogram, normalize: Bool) {
        self.histogram = histogram
        self.normalize = normalize
        drawnClients = Array(histogram.clients.prefix(HistogramFigure.maximumClients))
        drawnClasses = 0..<min(histogram.classNames.count, HistogramFigure.maximumClasses)
        var largest = 0.0
        for client in drawnClients {
            for classIndex in drawnClasses { largest = max(largest, histogram.value(client, classIndex, normalize: normalize)) }
        }
        self.largest = largest
    }

    /// What the caps left out, or nil.
    var omissions: String? {
        var parts = [String]()
        let clients = histogram.clients.count, classes = histogram.classNames.count
        if clients > drawnClients.count {
            parts.append("clients \(drawnClients.count)-\(clients - 1) (\(clients - drawnClients.count) of \(clients))")
        }
        if classes > drawnClasses.count {
            parts.append("classes \(drawnClasses.count)-\(classes - 1) (\(classes - drawnClasses.count) of \(classes))")
        }
        guard !parts.isEmpty else { return nil }
        return "not drawn: " + parts.joined(separator: " and ") + ", listed by fednc-shards histogram --format csv"
    }

    /// The figure (see the type's description).
    func scene() -> FigureScene {
        let cell = HistogramFigure.cellSize, pad = Self.padding, line = Self.lineHeight
        let names = drawnClasses.map { Self.shortened(histogram.classNames[$0], to: Self.longestName) }
        let nameWidth = max(names.map { PixelFont.width(of: $0) * 2 }.max() ?? 0, PixelFont.width(of: "class") * 2)
        let gridLeft = pad + nameWidth + 10
        let gridTop = pad + 3 * line + 8
        let gridRight = gridLeft + drawnClients.count * cell
        let gridBottom = gridTop + drawnClasses.count * cell
        var elements = [FigureScene.Element]()
        func text(_ string: String, _ x: Int, _ y: Int, scale: Int = 2, _ anchor: RGBCanvas.TextAnchor = .left) {
            elements.append(.text(string, x: x, y: y, color: Self.ink, scale: scale, anchor: anchor))
        }

        text(title, pad, pad + 8, scale: 3)
        text(subtitle, pad, pad + 8 + line + 4)
        text("class", gridLeft - 8, gridTop - line / 2 - 2, .right)
        for (row, classIndex) in drawnClasses.enumerated() {
            let top = gridTop + row * cell
            text(names[row], gridLeft - 8, top + cell / 2, .right)
            for (column, client) in drawnClients.enumerated() {
                let left = gridLeft + column * cell
                let fill = histogram.holds(client, classIndex) ? HistogramFigure.heldColor : HistogramFigure.notHeldColor
                elements.append(.rect(x: left, y: top, width: cell + 1, height: cell + 1, fill: fill, stroke: Self.gridLine))
                let value = histogram.value(client, classIndex, normalize: normalize)
                guard largest > 0, value > 0 else { continue }
                elements.append(.circle(centerX: Double(left) + Double(cell) / 2, centerY: Double(top) + Double(cell) / 2,
                                        radius: bubbleRadius(value), fill: HistogramFigure.bubbleColor))
            }
        }
        for (column, client) in drawnClients.enumerated() {
            text(String(client.index), gridLeft + column * cell + cell / 2, gridBottom + 12, .center)
        }
        text("client", gridLeft + drawnClients.count * cell / 2, gridBottom + 12 + line, .center)

        // Bubble legend: three sizes in a row, each disc followed by its value.
        var y = gridBottom + 12 + 2 * line + cell / 2
        text(normalize ? "bubble area: share of the client samples with the class"
             : "bubble area: positives of the class in the client shard", pad, y)
        y += line + cell / 2
        var x = pad
        for value in legendValues {
            elements.append(.circle(centerX: Double(x + cell / 2), centerY: Double(y), radius: bubbleRadius(value),
                                    fill: HistogramFigure.bubbleColor))
            let label = normalize ? PartitionHistogram.fixed(value, decimals: 3) : String(Int(value))
            text(label, x + cell + 4, y)
            x += cell + 4 + PixelFont.width(of: label) * 2 + 24
        }
        if legendValues.isEmpty { text("(every cell drawn is 0)", pad, y) }

        // Cell legend: a white and a grey swatch.
        y += cell / 2 + line
        for (fill, explanation) in [(HistogramFigure.heldColor, "white cell: class in the client class set"),
                                    (HistogramFigure.notHeldColor, "grey cell: class not in the client class set (no positives)")] {
            elements.append(.rect(x: pad, y: y - cell / 4, width: cell / 2, height: cell / 2, fill: fill,
                                  stroke: Self.gridLine))
            text(explanation, pad + cell / 2 + 8, y)
            y += line
        }
        if let omissions { text(omissions, pad, y); y += line }

        let textRight = elements.compactMap { element -> Int? in
            guard case let .text(text) = element else { return nil }
            return text.bounds.x + text.bounds.width
        }.max() ?? 0
        return FigureScene(width: max(gridRight, textRight) + pad, height: y + pad - line / 2, elements: elements)
    }

    private var title: String {
        "Class distribution over clients: \(Self.shortened(histogram.datasetName, to: Self.longestTitleName))"
    }

    private var subtitle: String {
        let parameters = histogram.parameters
        let alpha = parameters.alpha.isInfinite ? "inf" : "\(parameters.alpha)"
        return "alpha \(alpha), rho \(parameters.rho), seed \(parameters.seed), absent labels "
            + "\(Self.shortened(parameters.absentLabels, to: Self.longestTitleName)): \(histogram.clients.count) clients, \(histogram.classNames.count) classes, "
            + "\(histogram.totals.kept) samples kept"
    }

    /// Disc radius for `value`: area proportional to `value / largest`, the largest filling the cell less 2 px.
    private func bubbleRadius(_ value: Double) -> Double {
        max(1.0, (Double(HistogramFigure.cellSize) / 2 - 2) * (value / largest).squareRoot())
    }

    /// The largest value drawn, a half and a quarter of it (counts rounded down to integers), without zeros
    /// or repeats.
    private var legendValues: [Double] {
        guard largest > 0 else { return [] }
        var values = [Double]()
        for divisor in [1.0, 2.0, 4.0] {
            let value = normalize ? largest / divisor : (largest / divisor).rounded(.down)
            if value > 0, !values.contains(value) { values.append(value) }
        }
        return values
    }

    private static func shortened(_ name: String, to length: Int) -> String {
        name.count <= length ? name : String(name.prefix(length - 2)) + ".."
    }
}
