import ArgumentParser
import CommandSupport
import Foundation
import Partitioning

/// `fednc-shards histogram`: the client x class counts of a shards folder.
struct HistogramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "histogram",
        abstract: "Show how classes are spread over the clients of a shards folder (from its partition.json).")

    @Argument(help: "Shards folder.")
    var shards: String

    @Option(name: .long, help: "table | csv | json | markdown.")
    var format: HistogramFormat = .table

    @Option(name: .long, help: "Also draw a client x class bubble map into this PNG file.")
    var png: String?

    @Flag(name: .long, help: "Show each class's share of the client's samples instead of counts.")
    var normalize = false

    func run() throws {
        let manifestURL = URL(fileURLWithPath: shards).appendingPathComponent(PartitionManifest.fileName)
        let manifest: PartitionManifest
        do {
            manifest = try PartitionManifest.decode(try Data(contentsOf: manifestURL))
        } catch {
            throw ShardCommandError.file(path: manifestURL.path,
                                         reason: "cannot be read (\(error)); is this a shards folder?")
        }
        let histogram = PartitionHistogram(manifest: manifest)
        print(histogram.render(format, normalize: normalize), terminator: "")
        if let png {
            do {
                let bytes = try histogram.bubbleMapPNG(normalize: normalize)
                try FigureOutput.write(bytes, to: png)
            } catch let error as ShardCommandError {
                throw error
            } catch {
                throw ShardCommandError.file(path: png, reason: "cannot write the PNG: \(error)")
            }
        }
    }
}

extension HistogramFormat: ExpressibleByArgument {}
