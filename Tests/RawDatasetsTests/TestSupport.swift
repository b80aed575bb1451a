import Foundation
import Testing

/// Fixture files copied into this test target (see Fixtures/README.md).
func fixturePath(_ name: String) throws -> String {
    let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures").appendingPathComponent(name)
    return url.path
}

/// A fresh empty folder under the system's temporary directory.
func makeTemporaryFolder(_ label: String = #function) throws -> URL {
    let safe = label.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("fednc-rawtests-\(safe)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs `python3 -c script args...` and returns standard output (throws if it fails).
func runPython(_ script: String, _ arguments: [String] = []) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    struct PythonFailed: Error {}
    guard process.terminationStatus == 0 else { throw PythonFailed() }
    return String(decoding: data, as: UTF8.self)
}
