import Imaging
import Testing

@Suite("PixelFont and RGBCanvas text")
struct PixelFontTests {
    @Test("every glyph is 5 rows of 3 bits; lower case draws as upper case; unknown characters draw as ?")
    func glyphs() {
        for character in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ -.,:%()/_+=?" {
            let rows = PixelFont.rows(of: character)
            #expect(rows.count == 5 && rows.allSatisfy { $0 < 8 }, "\(character)")
        }
        #expect(PixelFont.rows(of: "a") == PixelFont.rows(of: "A"))
        #expect(PixelFont.rows(of: "€") == PixelFont.rows(of: "?"))
        #expect(PixelFont.rows(of: "8") != PixelFont.rows(of: "B"))
        #expect(PixelFont.width(of: "AB") == 7 && PixelFont.width(of: "") == 0)
    }

    @Test("drawText at scale 1 sets exactly the glyph's pixels; anchors place the text's left or right edge")
    func drawText() {
        var canvas = RGBCanvas(width: 12, height: 9, fill: (255, 255, 255))
        canvas.drawText("7", x: 2, y: 4, color: (0, 0, 0), scale: 1)
        let rows = PixelFont.rows(of: "7")
        for y in 0..<9 {
            for x in 0..<12 {
                let inGlyph = (2..<7).contains(y) && (2..<5).contains(x) && rows[y - 2] & (4 >> UInt8(x - 2)) != 0
                #expect(canvas.pixels[(y * 12 + x) * 3] == (inGlyph ? 0 : 255), "pixel \(x),\(y)")
            }
        }
        var right = RGBCanvas(width: 20, height: 9, fill: (255, 255, 255))
        right.drawText("11", x: 15, y: 4, color: (0, 0, 0), scale: 1, anchor: .right)
        let inkColumns = (0..<20).filter { x in (0..<9).contains { y in right.pixels[(y * 20 + x) * 3] == 0 } }
        #expect(inkColumns.first == 15 - PixelFont.width(of: "11") && (inkColumns.last ?? 0) < 15)
    }
}
