import ArgumentParser
import CommandSupport
import Foundation
import Safetensors

/// `fednc-shards leftovers DIR [--remove]`: lists the hidden `.NAME.partial-PID` temporary outputs that killed
/// runs of any FedNC tool left in DIR (their process is gone), and removes them only with `--remove`.
struct LeftoversCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leftovers",
        abstract: "List (and with --remove delete) unfinished outputs that killed runs left in a folder.",
        discussion: """
        A run stopped by SIGKILL or a power loss cannot remove its hidden .NAME.partial-PID staging folder; \
        Ctrl-C and SIGTERM remove it themselves. Only entries whose process is no longer running are listed.
        """)

    @Argument(help: "The folder that holds the outputs (the parent of --out).")
    var folder: String

    @Flag(name: .long, help: "Remove the entries listed (without it nothing is deleted).")
    var remove = false

    func run() throws {
        let url = URL(fileURLWithPath: folder)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ShardCommandError.file(path: folder, reason: "not a folder; name the folder that holds the outputs")
        }
        let leftovers = AbandonedPartialOutputs.stale(in: url)
        guard !leftovers.isEmpty else {
            print("no leftovers in \(folder)")
            return
        }
        for leftover in leftovers {
            let path = url.appendingPathComponent(leftover.name)
            let size = Self.byteCount(of: path)
            let line = "\(path.path) (unfinished \(leftover.destinationName), process \(leftover.pid) gone, "
                + String(format: "%.1f MB", Double(size) / 1e6) + ")"
            if remove {
                do {
                    try FileManager.default.removeItem(at: path)
                    print("removed \(TerminalText.escaped(line))")
                } catch {
                    throw ShardCommandError.file(path: path.path, reason: "cannot be removed (\(error.localizedDescription))")
                }
            } else {
                print(TerminalText.escaped(line))
            }
        }
        if !remove { print("\(leftovers.count) leftover\(leftovers.count == 1 ? "" : "s"); run again with --remove to delete") }
    }

    /// Bytes in the files under `url` (or of the file).
    private static func byteCount(of url: URL) -> Int {
        guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.fileSizeKey]) else {
            return (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
        }
        var total = (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
        for case let file as URL in walker {
            total += (try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
        }
        return total
    }
}
