import Foundation

/// Relative paths between folders, so manifests never hold absolute paths.
enum RelativePath {
    /// The path of `target` relative to the folder `base` (both made absolute and standardized first), e.g.
    /// `../prepared` for siblings; `.` when they are the same folder.
    static func from(_ base: URL, to target: URL) -> String {
        let baseParts = base.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        let targetParts = target.standardizedFileURL.resolvingSymlinksInPath().pathComponents
        var common = 0
        while common < baseParts.count, common < targetParts.count, baseParts[common] == targetParts[common] {
            common += 1
        }
        let parts = [String](repeating: "..", count: baseParts.count - common) + targetParts[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// `relative` resolved against the folder `base`.
    static func resolve(_ relative: String, against base: URL) -> URL {
        URL(fileURLWithPath: relative, relativeTo: base.standardizedFileURL.appendingPathComponent("", isDirectory: true))
            .standardizedFileURL
    }
}
