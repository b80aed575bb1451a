import ArgumentParser
import CommandSupport
import Foundation
import Partitioning

/// `fednc-shards histogram`: the client x class counts of a shards folder, as text and optionally as a figure.
struct HistogramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "histogram",
        abstract: "Show how classes are spread over the clients of a shards folder (from its partition.json).",
        discussion: """
            --png and --svg draw the same figure: one column per client, one row per class, a bubble whose area is \
            the cell's value, grey cells for classes outside the client's class set, with a title and legends. At \
            most \(HistogramFigure.maximumClients) clients and \(HistogramFigure.maximumClasses) classes are drawn; \
            the figure and standard error say what was left out. An existing file is replaced only when it is a \
            figure written by this command.
            """)

    @Argument(help: "Shards folder.")
    var shards: String

    @Option(name: .long, help: "table | csv | json | markdown.")
    var format: HistogramFormat = .table

    @Option(name: .long, help: "Also draw the client x class bubble map into this PNG file.")
    var png: String?

    @Option(name: .long, help: "Also draw the client x class bubble map into this SVG file.")
    var svg: String?

    @Flag(name: .long, help: "Show each class's share of the client's samples instead of counts.")
    var normalize = false

    func validate() throws {
        if png?.isEmpty == true || svg?.isEmpty == true {
            throw ValidationError("--png and --svg take the path of a file to write, not an empty string")
        }
        if let png, let svg, URL(fileURLWithPath: png).standardizedFileURL == URL(fileURLWithPath: svg).standardizedFileURL {
            throw ValidationError("--png and --svg name the same file (\(png)); give each figure its own name")
        }
    }

    func run() throws {
        let histogram: PartitionHistogram
        do {
            let folder = URL(fileURLWithPath: shards)
            histogram = try PartitionHistogram(manifest: try PartitionManifest.read(shardsFolder: folder),
                                               source: folder.appendingPathComponent(PartitionManifest.fileName).path)
        } catch {
            throw ShardCommandError.shard(error)
        }
        var outputs = [(path: String, kind: FigureOutput.Kind)]()
        if let png { outputs.append((png, .png)) }
        if let svg { outputs.append((svg, .svg)) }
        // Check every destination before writing anything, so a refusal leaves nothing half done.
        for (path, kind) in outputs { try FigureOutput.checkDestination(path, kind: kind) }
        print(histogram.render(format, normalize: normalize), terminator: "")
        guard !outputs.isEmpty else { return }
        let figure = HistogramFigure(histogram: histogram, normalize: normalize)
        if let omissions = figure.omissions {
            StandardError.write("note: \(omissions) (a figure draws at most \(HistogramFigure.maximumClients) clients "
                + "and \(HistogramFigure.maximumClasses) classes)\n")
        }
        for (path, kind) in outputs {
            let bytes: [UInt8]
            switch kind {
            case .png:
                do { bytes = try figure.png() } catch {
                    throw ShardCommandError.file(path: path, reason: "cannot encode the PNG: \(error)")
                }
            case .svg:
                bytes = figure.svg()
            }
            try FigureOutput.write(bytes, to: path, kind: kind)
        }
    }
}

extension HistogramFormat: ExpressibleByArgument {}
