import Foundation
import Partitioning
import Testing

/// Histogram views of a manifest.
@Suite("Partitioning histogram")
struct PartitionHistogramTests {
    private func histogram() throws -> (PartitionHistogram, PartitionManifest) {
        let scratch = try PreparedDatasetFixture.scratchFolder("histogram")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let prepared = try PreparedDatasetFixture.make(in: scratch)
        let manifest = try ShardsFolderWriter(datasetFolder: prepared, shardsFolder: scratch.appendingPathComponent("s"),
                                              parameters: PartitionParameters(clients: 3, alpha: 0.5, rho: 0.5, seed: 1))
            .write().manifest
        return (try PartitionHistogram(manifest: manifest), manifest)
    }

    @Test func tableMarksHeldClassesAndSumsUp() throws {
        let (histogram, manifest) = try histogram()
        let table = histogram.render(.table)
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("class (positives)"))
        let catRow = try #require(lines.first { $0.hasPrefix("cat ") })
        let cells = catRow.split(separator: " ").map(String.init)
        for client in manifest.clients {
            let cell = cells[2 + client.index]
            #expect(cell == (client.classSet.contains(0) ? String(client.classCounts[0]) : "."))
        }
        #expect(cells[1] == String(manifest.totals.classCounts[0]))
        #expect(table.contains("dropped \(manifest.totals.dropped)"))
        let markdown = histogram.render(.markdown)
        #expect(markdown.hasPrefix("| class | total | client 0 | client 1 | client 2 |\n| --- |"))
    }

    @Test func normalizedSharesAndJSON() throws {
        let (histogram, manifest) = try histogram()
        let client = manifest.clients[0]
        let held = try #require(client.classSet.first)
        #expect(histogram.value(client, held, normalize: true) == Double(client.classCounts[held]) / Double(client.size))
        let json = try JSONSerialization.jsonObject(with: Data(histogram.render(.json, normalize: true).utf8))
        let object = try #require(json as? [String: Any])
        #expect(object["normalized"] as? Bool == true)
        #expect((object["clients"] as? [Any])?.count == 3)
    }
}
