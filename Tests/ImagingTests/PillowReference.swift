import Foundation
import Imaging
import Testing

/// Pixels Python's Pillow gives for a set of files, produced by `Fixtures/pillow_reference.py` (run once per
/// request through `python3`) and read back from a temporary folder.
struct PillowReference {
    enum Entry {
        case pixels(Image, mode: String)
        case error(String)
    }

    let entries: [String: Entry]

    /// Decodes `files` with Pillow (see the script for the gray rule).
    static func decode(_ files: [URL]) throws -> PillowReference {
        try run(["decode"], files: files)
    }

    /// Like `decode`, but CMYK JPEGs are converted by the no-Adobe-marker rule (stored values not inverted),
    /// computed by the script from Pillow's samples (Pillow itself always assumes Adobe polarity).
    static func decodeCMYKPlain(_ files: [URL]) throws -> PillowReference {
        try run(["decode-cmyk-plain"], files: files)
    }

    /// `Image.open(file).convert("L")` for each file.
    static func decodeLuma(_ files: [URL]) throws -> PillowReference {
        try run(["decode-luma"], files: files)
    }

    /// Decodes `files` with Pillow, then resizes each with `Image.resize((width, height), BILINEAR)` to every
    /// size; entries are named `"<file name>@<height>x<width>"`.
    static func resize(_ files: [URL], sizes: [(height: Int, width: Int)]) throws -> PillowReference {
        try run(["resize", sizes.map { "\($0.height)x\($0.width)" }.joined(separator: ",")], files: files)
    }

    private static func run(_ command: [String], files: [URL]) throws -> PillowReference {
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("fednc-pillow-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", try Fixtures.url("pillow_reference.py").path, command[0], output.path]
            + command.dropFirst() + files.map(\.path)
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ReferenceFailure(message: "pillow_reference.py exited \(process.terminationStatus): \(errorText)")
        }
        let indexData = try Data(contentsOf: output.appendingPathComponent("index.json"))
        guard let index = try JSONSerialization.jsonObject(with: indexData) as? [String: [String: Any]] else {
            throw ReferenceFailure(message: "index.json is not an object of objects")
        }
        var entries: [String: Entry] = [:]
        for (name, fields) in index {
            if let error = fields["error"] as? String {
                entries[name] = .error(error)
                continue
            }
            guard let height = fields["height"] as? Int, let width = fields["width"] as? Int,
                  let channels = fields["channels"] as? Int, let mode = fields["mode"] as? String else {
                throw ReferenceFailure(message: "index.json entry \(name) lacks height/width/channels/mode")
            }
            let raw = try Data(contentsOf: output.appendingPathComponent(name + ".raw"))
            entries[name] = .pixels(Image(height: height, width: width, channels: channels, pixels: [UInt8](raw)),
                                    mode: mode)
        }
        return PillowReference(entries: entries)
    }
}

struct ReferenceFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The committed test files (`Tests/ImagingTests/Fixtures`, see its README.md).
enum Fixtures {
    static func url(_ relativePath: String) throws -> URL {
        guard let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw ReferenceFailure(message: "the Fixtures resource folder is missing from the test bundle")
        }
        return root.appendingPathComponent(relativePath)
    }

    /// Files in a fixture subfolder with the given extension, sorted by name.
    static func files(in folder: String, withExtension fileExtension: String) throws -> [URL] {
        let directory = try url(folder)
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == fileExtension }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}

/// Deterministic test bytes (SplitMix64 of `seed`), for noise inputs.
func noiseBytes(count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return UInt8(truncatingIfNeeded: mixed ^ (mixed >> 31))
    }
}

/// nil when the two images are identical, else a one-line summary (shape, or how many samples differ and by how
/// much): keeps failure messages short instead of printing whole pixel arrays.
func mismatch(_ ours: Image, _ expected: Image) -> String? {
    guard ours.height == expected.height, ours.width == expected.width, ours.channels == expected.channels else {
        return "shape \(ours.height)x\(ours.width)x\(ours.channels), expected "
            + "\(expected.height)x\(expected.width)x\(expected.channels)"
    }
    let difference = sampleDifference(ours, expected)
    return difference.differing == 0 ? nil
        : "\(difference.differing) of \(ours.sampleCount) samples differ, by up to \(difference.maximum)"
}

/// Largest absolute sample difference and count of differing samples between two same-shaped images.
func sampleDifference(_ a: Image, _ b: Image) -> (maximum: Int, differing: Int) {
    precondition(a.height == b.height && a.width == b.width && a.channels == b.channels)
    var maximum = 0, differing = 0
    for index in 0..<a.sampleCount {
        let difference = abs(Int(a.pixels[index]) - Int(b.pixels[index]))
        if difference > 0 { differing += 1 }
        maximum = max(maximum, difference)
    }
    return (maximum, differing)
}
