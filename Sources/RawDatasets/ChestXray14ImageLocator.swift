import Foundation

/// Finds ChestX-ray14 PNGs in the published layouts: `images/<name>` and `images_001/images/<name>` ...
/// `images_012/images/<name>` (any `images_*` folder, with or without the inner `images/`).
///
/// Folders are listed once up front (112,120 names take a few MB); a name present in two folders resolves to the
/// first in sorted folder order.
public struct ChestXray14ImageLocator: Sendable {
    private var pathByName: [String: String]
    /// The folders searched, in order.
    public private(set) var folders: [String]
    private let defaultFolder: String

    /// Lists the image folders under `root`.
    public init(root: URL) {
        var folders: [String] = []
        let manager = FileManager.default
        func isDirectory(_ path: String) -> Bool {
            var flag: ObjCBool = false
            return manager.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
        }
        let plain = root.appendingPathComponent("images").path
        if isDirectory(plain) { folders.append(plain) }
        let shards = ((try? manager.contentsOfDirectory(atPath: root.path)) ?? [])
            .filter { $0.hasPrefix("images_") }.sorted()
        for shard in shards {
            let inner = root.appendingPathComponent(shard).appendingPathComponent("images").path
            let outer = root.appendingPathComponent(shard).path
            if isDirectory(inner) { folders.append(inner) } else if isDirectory(outer) { folders.append(outer) }
        }
        var pathByName: [String: String] = [:]
        for folder in folders {
            for name in (try? manager.contentsOfDirectory(atPath: folder)) ?? [] where pathByName[name] == nil {
                pathByName[name] = folder + "/" + name
            }
        }
        self.folders = folders
        self.pathByName = pathByName
        self.defaultFolder = plain
    }

    /// Where `imageName` is, or nil when no searched folder holds it.
    public func path(of imageName: String) -> String? {
        pathByName[imageName]
    }

    /// Where `imageName` is, or where it was expected (`<root>/images/<name>`) for error messages.
    public func pathOrExpected(of imageName: String) -> String {
        pathByName[imageName] ?? defaultFolder + "/" + imageName
    }

    /// How many image files were found.
    public var imageCount: Int { pathByName.count }
}
