import Foundation

/// The repository root: `FEDNC_REPO_ROOT`, or the first folder above this file holding `Package.swift`.
func repositoryRoot() -> URL? {
    if let root = ProcessInfo.processInfo.environment["FEDNC_REPO_ROOT"], !root.isEmpty {
        return URL(fileURLWithPath: root)
    }
    var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while folder.path != "/" {
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            return folder
        }
        folder = folder.deletingLastPathComponent()
    }
    return nil
}
