import Imaging

/// The client x class bubble map of a histogram, laid out like the class-distribution figures of the FedNCAlign-ML
/// paper (Figs 8-11): one column per client (x axis, `client`), one row per class (y axis, class names); a disc
/// whose area is proportional to the cell's value (positives of the class in the client's shard, or with
/// `normalize` their share of the client's samples) relative to the largest cell drawn; white cells are classes in
/// the client's class set, grey cells classes outside it. A title names the dataset and the partition parameters,
/// a legend gives three bubble sizes and the cell colours.
///
/// At most `maximumClients` clients and `maximumClasses` classes are drawn (the first ones by index); a note on
/// the figure, and `omissions`, say what was left out. The same `scene` is written as PNG or SVG, each carrying a
/// marker (`pngMarker`, `svgComment`) by which `fednc-shards` recognises a figure it wrote.
public struct HistogramFigure: Sendable {
    /// Columns (clients) drawn at most (default 100).
    public static let maximumClients = 100
    /// Rows (classes) drawn at most (default 100).
    public static let maximumClasses = 100
    /// Pixels per grid cell.
    public static let cellSize = 28
    /// The bubble colour (matplotlib's tab:blue).
    public static let bubbleColor: FigureScene.Color = (31, 119, 180)
    /// Cell fill of a class the client holds, and of one it does not.
    public static let heldColor: FigureScene.Color = (255, 255, 255)
    public static let notHeldColor: FigureScene.Color = (225, 225, 225)

    /// The `tEXt` chunk right after IHDR of every PNG figure.
    public static let pngMarker = PNGTextChunk(keyword: "Software", text: "fednc-shards histogram")
    /// The comment on the second line of every SVG figure.
    public static let svgComment = "fednc-shards histogram figure"

    /// Everything drawn, in pixel coordinates.
    public let scene: FigureScene
    /// What was not drawn because of the caps, as one sentence (nil when everything was drawn).
    public let omissions: String?

    /// Lays out the figure of `histogram` (see the type's description).
    public init(histogram: PartitionHistogram, normalize: Bool) {
        let layout = HistogramFigureLayout(histogram: histogram, normalize: normalize)
        scene = layout.scene()
        omissions = layout.omissions
    }

    /// The figure as PNG bytes (RGB, 8-bit) with `pngMarker`.
    public func png() throws(ImageCodecError) -> [UInt8] {
        Self.pngMarker.inserted(into: try PNGEncoder().encode(scene.rasterized().image))
    }

    /// The figure as an SVG document (UTF-8 bytes) with `svgComment`.
    public func svg() -> [UInt8] {
        Array(scene.svg(comment: Self.svgComment).utf8)
    }

    /// Bytes a file must start with to be recognised as a figure written here, and how many to read.
    public static let headLength = 128

    /// Whether `head` (a file's first `headLength` bytes or fewer) is a PNG figure written by `png()`.
    public static func isOwnPNG(head: [UInt8]) -> Bool {
        pngMarker.isFirstChunk(in: head)
    }

    /// Whether `head` (a file's first `headLength` bytes or fewer) is an SVG figure written by `svg()`.
    public static func isOwnSVG(head: [UInt8]) -> Bool {
        head.starts(with: FigureScene.svgPrologue(comment: svgComment).utf8)
    }
}
