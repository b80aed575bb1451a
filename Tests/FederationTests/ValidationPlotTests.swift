import Federation
import Foundation
import Imaging
import Testing

@Suite("Validation plot PNG")
struct ValidationPlotTests {
    /// A round record with real metrics of a tiny two-class prediction.
    private func record(round: Int, quality: Float) throws -> RoundRecord {
        let metrics = MultiLabelMetrics(scores: [quality, 1 - quality, 1 - quality, quality], labels: [1, 0, 0, 1], classCount: 2)
        let metricsJSON = String(decoding: try JSONEncoder().encode(metrics), as: UTF8.self)
        let json = "{\"round\": \(round), \"clients\": [], \"validation\": \(metricsJSON), \"seconds\": 1}"
        return try JSONDecoder().decode(RoundRecord.self, from: Data(json.utf8))
    }

    @Test("the PNG carries the title, axis numbers and legend as text, and the metric lines in their colours")
    func textAndLines() throws {
        let plot = ValidationPlot(history: [try record(round: 1, quality: 0.6), try record(round: 2, quality: 0.9)], title: "demo")
        let image = try PNGDecoder().decode(try plot.png())
        #expect(image.width == 640 && image.height == 400 && image.channels == 3)
        func isInk(_ x: Int, _ y: Int) -> Bool { image[y, x, 0] == 40 && image[y, x, 1] == 40 && image[y, x, 2] == 40 }
        // Title band (centred text at y 12) and the y-axis numbers left of the plot.
        #expect((300..<340).contains { x in (7..<18).contains { y in isInk(x, y) } })
        #expect((20..<50).contains { x in (30..<370).contains { y in isInk(x, y) } })
        // The "round" label under the axis, and legend names right of the swatches.
        #expect((300..<340).contains { x in (385..<396).contains { y in isInk(x, y) } })
        #expect((82..<150).contains { x in (35..<46).contains { y in isInk(x, y) } })
        // The macro-AUC line's colour appears.
        #expect((0..<640).contains { x in (40..<360).contains { y in image[y, x, 0] == 31 && image[y, x, 1] == 119 } })
    }
}
