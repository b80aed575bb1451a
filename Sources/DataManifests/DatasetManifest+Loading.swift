import Foundation

extension DatasetManifest {
    /// Names of the built-in manifests, sorted (`["bloodmnist", "breastmnist", ..., "voc2012"]`).
    public static var availableNames: [String] {
        EmbeddedManifests.jsonByName.keys.sorted()
    }

    /// The built-in manifest `name` (`"cifar10"`, `"dermamnist"`, `"voc2012"`, `"chestxray14"`, ...), compiled
    /// from `data-manifests/<name>.json` by `tools/generate-manifests`.
    public static func named(_ name: String) throws(DataManifestError) -> DatasetManifest {
        guard let json = EmbeddedManifests.jsonByName[name] else {
            throw .unknownDataset(name: name, known: availableNames)
        }
        return try decode(Data(json.utf8), source: "data-manifests/\(name).json")
    }

    /// The built-in manifest that lists a raw file called `fileName` (last path component compared exactly),
    /// e.g. `"dermamnist_224.npz"` -> DermaMNIST. `nil` if none does.
    public static func containingRawFile(named fileName: String) -> DatasetManifest? {
        for name in availableNames {
            guard let manifest = try? named(name) else { continue }
            if manifest.rawFiles.contains(where: { ($0.name as NSString).lastPathComponent == fileName }) {
                return manifest
            }
        }
        return nil
    }

    /// A manifest read from a JSON file on disk (same format).
    public static func load(from url: URL) throws(DataManifestError) -> DatasetManifest {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .cannotRead(path: url.path, reason: error.localizedDescription)
        }
        return try decode(data, source: url.path)
    }

    /// The exact JSON text of built-in manifest `name`, as embedded (for the sync test).
    package static func embeddedJSON(named name: String) -> String? {
        EmbeddedManifests.jsonByName[name]
    }

    private static func decode(_ data: Data, source: String) throws(DataManifestError) -> DatasetManifest {
        do {
            return try JSONDecoder().decode(DatasetManifest.self, from: data)
        } catch {
            throw .invalidManifest(source: source, reason: "\(error)")
        }
    }
}
