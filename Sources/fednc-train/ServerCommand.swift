import ArgumentParser
import CommandSupport
import Federation
import Foundation

/// `fednc-train server start|plan|collect|identify`: the server half of the step loop, one step per process.
struct ServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server", abstract: "Server steps of a federated run (trainer.md, \"The step loop\").",
        subcommands: [Start.self, Plan.self, Collect.self, Identify.self])

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every input, then write run.json, run-id and the round-0 checkpoint (not centralized).")

        @OptionGroup var options: RunOptions

        func run() throws {
            try EngineThreadCount.use(options.threads)
            let (configuration, shards) = try options.configuration()
            let server = try RunServer.start(configuration: configuration, shards: shards,
                                             runURL: URL(fileURLWithPath: options.out))
            print(try StepJSON.line(["runID": server.runID]))
        }
    }

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write DIR/client-NNN.message.safetensors for the next step's participants; print the plan.")

        @OptionGroup var runFolder: ServerRunOption
        @Option(help: "Folder for the messages (created if missing).") var messages: String

        func run() throws {
            let server = try runFolder.open()
            let (plan, messageList) = try server.plan()
            let folder = URL(fileURLWithPath: messages)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for message in messageList {
                try message.write(to: folder.appendingPathComponent(StepMessage.fileName(client: message.header.client)))
            }
            print(try StepJSON.line(plan))
        }
    }

    struct Collect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Aggregate DIR/client-NNN.reply.safetensors of the planned participants; finish after the last step.")

        @OptionGroup var runFolder: ServerRunOption
        @Option(help: "Folder holding the replies.") var replies: String

        func run() throws {
            let server = try runFolder.open()
            let folder = URL(fileURLWithPath: replies)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            let replyNames = names.filter { $0.hasPrefix("client-") && $0.hasSuffix(".reply.safetensors") }.sorted()
            let planned = try server.plannedStep()
            var collected = [StepReply]()
            for name in replyNames {
                let url = folder.appendingPathComponent(name)
                let isPlannedFile = planned.participants.map(StepReply.fileName(client:)).contains(name)
                // Replies of other rounds or runs (or unreadable files) left in the folder are ignored unless they
                // sit under a planned client's name (then the server refuses them).
                if !isPlannedFile {
                    guard let header = try? StepReply.readHeader(from: url),
                          header.runID == server.runID, header.round == planned.round else { continue }
                }
                collected.append(try StepReply.read(from: url, layout: server.layout,
                                                    featureDimension: server.featureDimension,
                                                    classCount: server.configuration.modelConfiguration.classCount))
            }
            let result = try server.collect(collected)
            print(try StepJSON.line(CollectLine(round: result.round, finished: result.finished)))
        }
    }

    struct Identify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the run's code version, ID, partition SHA-256, threads and expected shard SHA-256s.")

        @OptionGroup var runFolder: ServerRunOption

        func run() throws {
            print(try StepJSON.line(try ServerIdentity(run: runFolder.url)))
        }
    }
}

/// `server collect`'s output line.
struct CollectLine: Encodable {
    var round: Int
    var finished: Bool
}

/// One JSON line on standard output (sorted keys), for scripts and the Flower app.
enum StepJSON {
    static func line(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
