import Imaging
import Testing

/// `FigureScene`: one list of shapes, drawn as a raster and written as SVG; and the PNG `tEXt` marker.
@Suite("Imaging figure scene")
struct FigureSceneTests {
    private static let ink: FigureScene.Color = (10, 20, 30)

    private static func scene() -> FigureScene {
        var scene = FigureScene(width: 40, height: 30)
        scene.addRect(x: 2, y: 3, width: 10, height: 6, fill: (200, 0, 0), stroke: (0, 0, 200))
        scene.addCircle(centerX: 30.5, centerY: 10.5, radius: 4.125, fill: (0, 200, 0))
        scene.addText("a<b", x: 20, y: 22, color: ink, scale: 1, anchor: .center)
        return scene
    }

    @Test func rasterDrawsEveryElementWhereTheSceneSays() {
        let canvas = Self.scene().rasterized()
        func pixel(_ x: Int, _ y: Int) -> [UInt8] { Array(canvas.pixels[((y * 40 + x) * 3)..<((y * 40 + x) * 3 + 3)]) }
        #expect(pixel(0, 0) == [255, 255, 255])
        #expect(pixel(2, 3) == [0, 0, 200])  // outline
        #expect(pixel(5, 5) == [200, 0, 0])  // fill
        #expect(pixel(30, 10) == [0, 200, 0])
        let box = Self.scene().texts[0].bounds
        #expect(box == RGBCanvas.Box(x: 15, y: 20, width: 11, height: 5))  // 3 glyphs of 3 + 2 gaps, centred on 20
        let inked = (box.y..<(box.y + box.height)).flatMap { y in (box.x..<(box.x + box.width)).map { pixel($0, y) } }
        #expect(inked.contains([10, 20, 30]))
    }

    @Test func svgHasTheSameElementsEscapedAndRounded() {
        let svg = Self.scene().svg(comment: "made here")
        #expect(svg.hasPrefix(FigureScene.svgPrologue(comment: "made here")))
        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- made here -->\n<svg "))
        #expect(svg.contains("<rect x=\"2.5\" y=\"3.5\" width=\"9\" height=\"5\" fill=\"#c80000\" stroke=\"#0000c8\""))
        #expect(svg.contains("<circle cx=\"30.5\" cy=\"10.5\" r=\"4.13\" fill=\"#00c800\"/>"))
        #expect(svg.contains("text-anchor=\"middle\""))
        #expect(svg.contains(">a&lt;b</text>"))
        #expect(svg.hasSuffix("</svg>\n"))
        var control = FigureScene(width: 1, height: 1)
        control.addText("x\u{1B}[31m&\u{0}", x: 0, y: 0, color: Self.ink)
        #expect(control.svg().contains(">x?[31m&amp;?</text>"))
    }

    @Test func pngTextChunkIsInsertedAfterTheHeaderAndRecognised() throws {
        let image = Image(height: 2, width: 3, channels: 3, pixels: [UInt8](repeating: 7, count: 18))
        let plain = try PNGEncoder().encode(image)
        let marker = PNGTextChunk(keyword: "Software", text: "test")
        let marked = marker.inserted(into: plain)
        #expect(marked.count == plain.count + 12 + 13)
        #expect(marker.isFirstChunk(in: marked) && !marker.isFirstChunk(in: plain))
        #expect(!PNGTextChunk(keyword: "Software", text: "other").isFirstChunk(in: marked))
        #expect(try PNGDecoder().decode(marked).pixels == image.pixels)  // libpng accepts the chunk and its CRC
        #expect(!marker.isFirstChunk(in: Array(marked.prefix(50))))
    }
}
