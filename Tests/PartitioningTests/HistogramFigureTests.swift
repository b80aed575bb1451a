import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Imaging
import Partitioning
import Testing

/// The bubble-map figure: its text, layout, caps, PNG marker and SVG.
@Suite("Partitioning histogram figure")
struct HistogramFigureTests {
    /// A real manifest of 3 clients over the fixture's 6 classes (cat, dog, bird, fish, frog, horse).
    static func manifest() throws -> PartitionManifest {
        let scratch = try PreparedDatasetFixture.scratchFolder("figure-manifest")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let prepared = try PreparedDatasetFixture.make(in: scratch)
        return try ShardsFolderWriter(datasetFolder: prepared, shardsFolder: scratch.appendingPathComponent("s"),
                                      parameters: PartitionParameters(clients: 3, alpha: 0.5, rho: 0.5, seed: 1))
            .write().manifest
    }

    /// `manifest` with its clients repeated to `clients` and its classes repeated to `classes` (names `c<k>`), the
    /// derived fields (file names, parameters.clients, totals) made to agree so it passes `validate(path:)`.
    static func enlarged(_ manifest: PartitionManifest, clients: Int, classes: Int) -> PartitionManifest {
        var large = manifest
        let k = manifest.dataset.classNames.count
        large.dataset.classNames = (0..<classes).map { "c\($0)" }
        large.parameters.clients = clients
        large.clients = (0..<clients).map { index in
            var client = manifest.clients[index % manifest.clients.count]
            client.index = index
            client.file = PartitionManifest.shardFileName(client: index)
            client.classCounts = (0..<classes).map { client.classCounts[$0 % k] }
            client.classSet = (0..<classes).filter { client.classSet.contains($0 % k) }
            return client
        }
        large.totals.kept = large.clients.reduce(0) { $0 + $1.size }
        large.totals.samples = large.totals.kept + large.totals.dropped
        large.totals.emptyLabelSamples = large.clients.reduce(0) { $0 + $1.emptyLabelSamples }
        large.maskedLabels = large.clients.reduce(0) { $0 + $1.maskedLabels }
        large.totals.classCounts = (0..<classes).map { index in large.clients.reduce(0) { $0 + $1.classCounts[index] } }
        large.totals.datasetClassCounts = large.totals.classCounts
        return large
    }

    static func isCircle(_ element: FigureScene.Element) -> Bool {
        guard case .circle = element else { return false }
        return true
    }

    @Test func figureTextIsPresentInsideTheFigureAndDoesNotOverlap() throws {
        let manifest = try Self.manifest()
        let figure = HistogramFigure(histogram: try PartitionHistogram(manifest: manifest), normalize: false)
        let scene = figure.scene
        let strings = scene.texts.map(\.string)
        #expect(strings.contains { $0.hasPrefix("Class distribution over clients: ") && $0.hasSuffix(manifest.dataset.name) })
        #expect(strings.contains { $0.hasPrefix("alpha 0.5, rho 0.5, seed 1") && $0.contains("3 clients, 6 classes") })
        for expected in ["class", "client", "0", "1", "2", "cat", "dog", "bird", "fish", "frog", "horse",
                         "bubble area: positives of the class in the client shard",
                         "white cell: class in the client class set",
                         "grey cell: class not in the client class set (no positives)"] {
            #expect(strings.contains(expected), "missing text \(expected)")
        }
        #expect(figure.omissions == nil)
        // The figure's own wording uses only characters the pixel font draws (anything else shows as ?).
        let unknown = PixelFont.rows(of: "?")
        for text in scene.texts {
            #expect(!text.string.contains { $0 != "?" && PixelFont.rows(of: $0) == unknown }, "\(text.string)")
        }
        let canvas = scene.rasterized()
        let boxes = scene.texts.map(\.bounds)
        for (text, box) in zip(scene.texts, boxes) {
            #expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= scene.width && box.y + box.height <= scene.height,
                    "\(text.string) at \(box) leaves the \(scene.width)x\(scene.height) figure")
            // Every glyph is inked: each character cell of the box holds a text-coloured pixel (no glyph is blank).
            let advance = (PixelFont.glyphWidth + 1) * text.scale
            for (position, character) in text.string.enumerated() where character != " " {
                let left = box.x + position * advance
                let inked = (box.y..<(box.y + box.height)).contains { row in
                    (left..<(left + PixelFont.glyphWidth * text.scale)).contains { column in
                        let offset = (row * canvas.width + column) * 3
                        return canvas.pixels[offset] == text.color.0 && canvas.pixels[offset + 1] == text.color.1
                    }
                }
                #expect(inked, "no ink for '\(character)' of \(text.string)")
            }
        }
        for first in boxes.indices {
            for second in boxes.indices where second > first {
                #expect(!boxes[first].intersects(boxes[second]),
                        "\(scene.texts[first].string) overlaps \(scene.texts[second].string)")
            }
        }
    }

    @Test func cellsAndBubblesFollowTheManifest() throws {
        let manifest = try Self.manifest()
        let histogram = try PartitionHistogram(manifest: manifest)
        let scene = HistogramFigure(histogram: histogram, normalize: true).scene
        var greyCells = 0, positiveCells = 0
        for client in manifest.clients {
            for classIndex in 0..<6 {
                if !client.classSet.contains(classIndex) { greyCells += 1 }
                if client.classCounts[classIndex] > 0 { positiveCells += 1 }
            }
        }
        let grey = scene.elements.filter { element in
            guard case let .rect(_, _, _, _, fill, _) = element else { return false }
            return fill == HistogramFigure.notHeldColor
        }
        let circles = scene.elements.filter(Self.isCircle)
        #expect(grey.count == greyCells + 1)  // + the legend's swatch
        #expect(circles.count == positiveCells + 3)  // + the legend's three sizes
        #expect(scene.texts.contains { $0.string == "bubble area: share of the client samples with the class" })
        // The largest legend bubble is the largest share drawn, with three decimals.
        let largest = manifest.clients.flatMap { client in client.classCounts.map { Double($0) / Double(client.size) } }.max()!
        let label = String(format: "%.3f", largest)
        #expect(scene.texts.contains { $0.string == label }, "legend lacks \(label)")
    }

    @Test func capsLimitTheDrawingAndSayWhatWasLeftOut() throws {
        let large = Self.enlarged(try Self.manifest(), clients: 150, classes: 120)
        let figure = HistogramFigure(histogram: try PartitionHistogram(manifest: large), normalize: false)
        let note = "not drawn: clients 100-149 (50 of 150) and classes 100-119 (20 of 120), "
            + "listed by fednc-shards histogram --format csv"
        #expect(figure.omissions == note)

        #expect(figure.scene.texts.contains { $0.string == note })
        #expect(!note.contains { $0 != "?" && PixelFont.rows(of: $0) == PixelFont.rows(of: "?") })
        let cells = figure.scene.elements.filter { element in
            guard case let .rect(_, _, width, _, _, stroke) = element else { return false }
            return width == HistogramFigure.cellSize + 1 && stroke != nil
        }
        #expect(cells.count == 100 * 100)
        #expect(!figure.scene.texts.contains { $0.string == "100" || $0.string == "c100" })
        #expect(figure.scene.width < 3_200 && figure.scene.height < 3_300)
        // Names from the file cannot widen it either.
        var named = large
        named.dataset.name = String(repeating: "n", count: 10_000)
        named.dataset.classNames[0] = String(repeating: "c", count: 10_000)
        named.parameters.absentLabels = String(repeating: "p", count: 10_000)
        let wide = HistogramFigure(histogram: try PartitionHistogram(manifest: named), normalize: false)
        #expect(wide.scene.width < 3_200 && wide.scene.height < 3_300)
        let small = HistogramFigure(histogram: try PartitionHistogram(manifest: Self.enlarged(large, clients: 100, classes: 100)),
                                    normalize: false)
        #expect(small.omissions == nil)
    }

    @Test func pngCarriesTheMarkerAndDecodesToTheFigure() throws {
        let figure = HistogramFigure(histogram: try PartitionHistogram(manifest: try Self.manifest()), normalize: false)
        let png = try figure.png()
        #expect(HistogramFigure.isOwnPNG(head: Array(png.prefix(HistogramFigure.headLength))))
        let decoded = try PNGDecoder().decode(png)
        #expect(decoded.width == figure.scene.width && decoded.height == figure.scene.height)
        #expect(decoded.pixels == figure.scene.rasterized().pixels)
        let unmarked = try PNGEncoder().encode(figure.scene.rasterized().image)
        #expect(!HistogramFigure.isOwnPNG(head: Array(unmarked.prefix(HistogramFigure.headLength))))
        var damaged = png
        damaged[40] ^= 1  // inside the marker chunk: the CRC no longer matches what we wrote
        #expect(!HistogramFigure.isOwnPNG(head: Array(damaged.prefix(HistogramFigure.headLength))))
    }

    @Test func svgIsWellFormedXMLWithTheSameShapesAndText() throws {
        var manifest = try Self.manifest()
        manifest.dataset.classNames[1] = "d<o>g & \"co\"\u{1B}[31m"
        let figure = HistogramFigure(histogram: try PartitionHistogram(manifest: manifest), normalize: false)
        let svg = figure.svg()
        #expect(HistogramFigure.isOwnSVG(head: Array(svg.prefix(HistogramFigure.headLength))))
        let collector = SVGCollector()
        let parser = XMLParser(data: Data(svg))
        parser.delegate = collector
        #expect(parser.parse(), "SVG is not well-formed: \(String(describing: parser.parserError))")
        #expect(collector.rootName == "svg")
        let sceneCircles = figure.scene.elements.filter(Self.isCircle).count
        #expect(collector.counts["circle"] == sceneCircles)
        #expect(collector.counts["rect"] == figure.scene.elements.count - sceneCircles - figure.scene.texts.count + 1)
        #expect(collector.texts == figure.scene.texts.map { $0.string.replacingOccurrences(of: "\u{1B}", with: "?") })
        #expect(collector.texts.contains("d<o>g & \"co\"?[31m"))
    }
}

/// Counts elements and collects `<text>` contents while `XMLParser` reads an SVG.
private final class SVGCollector: NSObject, XMLParserDelegate {
    var rootName: String?
    var counts = [String: Int]()
    var texts = [String]()
    private var currentText: String?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if rootName == nil { rootName = name }
        counts[name, default: 0] += 1
        if name == "text" { currentText = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        currentText? += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let text = currentText { texts.append(text) }
        currentText = nil
    }
}
