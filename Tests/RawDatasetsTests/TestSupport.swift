import Foundation
import ProcessTestSupport
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
    let outcome = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script] + arguments)
    struct PythonFailed: Error {}
    guard outcome.status == 0 else { throw PythonFailed() }
    return outcome.output
}
