import ArgumentParser
import CommandSupport
import Foundation
import Safetensors

/// `fednc-shards inspect`: what is inside any safetensors file.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show the tensors (dtype, shape), metadata and first label rows of a safetensors file.")

    @Argument(help: "A .safetensors file.")
    var file: String

    @Option(name: .long, help: "Label rows to show.")
    var rows = 5

    func run() throws {
        let safetensors: SafetensorsFile
        do {
            safetensors = try SafetensorsFile(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw ShardCommandError.shard(.safetensors(error))  // its message names the file once
        }
        print("\(file): \(safetensors.fileByteCount) bytes, \(safetensors.tensorNames.count) tensors")
        print("metadata:")
        for key in safetensors.metadata.keys.sorted() {
            print(TerminalText.escaped("  \(key) = \(safetensors.metadata[key] ?? "")"))
        }
        print("tensors:")
        for name in safetensors.tensorNames {
            guard let info = try? safetensors.info(name) else { continue }
            print(TerminalText.escaped("  \(name): \(info.dtype) \(info.shape) (\(info.byteCount) bytes)"))
        }
        guard let info = try? safetensors.info("labels"), info.dtype == .uint8, info.shape.count == 2 else { return }
        let classNames = Self.classNames(safetensors.metadata)
        let shown = min(max(0, rows), info.shape[0])
        guard shown > 0, let values = try? safetensors.rows("labels", 0..<shown, as: UInt8.self) else { return }
        let indices = (try? safetensors.info("indices")).flatMap { indexInfo -> [Int64]? in
            indexInfo.dtype == .int64 ? try? safetensors.rows("indices", 0..<shown, as: Int64.self) : nil
        }
        print("labels (first \(shown) of \(info.shape[0]) rows):")
        for row in 0..<shown {
            let bits = values[(row * info.shape[1])..<((row + 1) * info.shape[1])]
            let positives = bits.indices.filter { bits[$0] != 0 }.map { $0 - row * info.shape[1] }
            let names = positives.map { $0 < classNames.count ? classNames[$0] : String($0) }
            let origin = indices.map { " (train row \($0[row]))" } ?? ""
            print(TerminalText.escaped("  \(row)\(origin): \(bits.map(String.init).joined()) "
                                       + (names.isEmpty ? "(none)" : names.joined(separator: ", "))))
        }
    }

    /// Class names from the `classNames` (or `class_names`) metadata entry, a JSON array as a string.
    static func classNames(_ metadata: [String: String]) -> [String] {
        guard let text = metadata["classNames"] ?? metadata["class_names"],
              let names = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String] else { return [] }
        return names
    }
}
