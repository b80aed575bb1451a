import Imaging

extension PartitionHistogram {
    /// Pixels per grid cell of the bubble map.
    public static let cellSize = 28
    /// Room left of the grid (client numbers) and above it (class numbers).
    public static let margin = 36

    /// A client x class bubble map like the class-distribution figures of label-skew papers: one row per client,
    /// one column per class; a filled circle whose area is proportional to the cell's value (count, or share with
    /// `normalize`) relative to the largest cell; cells of classes the client does not hold are shaded grey.
    /// Client numbers run down the left edge, class numbers (indices into `classNames`) along the top.
    /// - Returns: an RGB image of `(margin + M*cell + 8) x (margin + K*cell + 8)` pixels.
    public func bubbleMap(normalize: Bool = false) -> Image {
        let cell = Self.cellSize
        let margin = Self.margin
        let width = margin + classNames.count * cell + 8
        let height = margin + clients.count * cell + 8
        var canvas = RGBCanvas(width: width, height: height, fill: (255, 255, 255))
        var largest = 0.0
        for client in clients {
            for classIndex in classNames.indices { largest = max(largest, value(client, classIndex, normalize: normalize)) }
        }
        for (row, client) in clients.enumerated() {
            let top = margin + row * cell
            canvas.drawNumber(client.index, centerX: margin / 2, centerY: top + cell / 2, color: (40, 40, 40))
            for classIndex in classNames.indices {
                let left = margin + classIndex * cell
                let shade: (UInt8, UInt8, UInt8) = holds(client, classIndex) ? (255, 255, 255) : (225, 225, 225)
                canvas.fillRect(x: left, y: top, width: cell, height: cell, color: shade)
                canvas.strokeRect(x: left, y: top, width: cell + 1, height: cell + 1, color: (200, 200, 200))
                let cellValue = value(client, classIndex, normalize: normalize)
                guard largest > 0, cellValue > 0 else { continue }
                let radius = max(1.0, (Double(cell) / 2 - 2) * (cellValue / largest).squareRoot())
                canvas.fillCircle(centerX: Double(left) + Double(cell) / 2, centerY: Double(top) + Double(cell) / 2,
                                  radius: radius, color: (31, 119, 180))
            }
        }
        for classIndex in classNames.indices {
            canvas.drawNumber(classIndex, centerX: margin + classIndex * cell + cell / 2, centerY: margin / 2,
                              color: (40, 40, 40))
        }
        return Image(height: height, width: width, channels: 3, pixels: canvas.pixels)
    }

    /// `bubbleMap(normalize:)` encoded as PNG bytes.
    public func bubbleMapPNG(normalize: Bool = false) throws(ImageCodecError) -> [UInt8] {
        try PNGEncoder().encode(bubbleMap(normalize: normalize))
    }
}
