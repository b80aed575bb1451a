import DataManifests
import Foundation
import Testing

@Suite("Embedded manifests match data-manifests/")
struct EmbeddingSyncTests {
    @Test("every data-manifests/*.json is embedded byte for byte, and nothing else")
    func embeddedEqualsFiles() throws {
        let root = try #require(repositoryRoot())
        let folder = root.appendingPathComponent("data-manifests")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        let names = files.map { String($0.dropLast(".json".count)) }
        #expect(names == DatasetManifest.availableNames,
                "run tools/generate-manifests: embedded names differ from data-manifests/")
        for (file, name) in zip(files, names) {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(DatasetManifest.embeddedJSON(named: name) == text,
                    "run tools/generate-manifests: \(file) differs from its embedded copy")
        }
    }
}
