import ArgumentParser
import CommandSupport
import Federation
import Foundation

/// `fednc-train client step|identify`: the client half of the step loop, on one node's shard.
struct ClientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client", abstract: "Client steps of a federated run (trainer.md, \"The step loop\").",
        subcommands: [Step.self, Identify.self])

    struct Step: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one message on this node's shard and write the reply.")

        @Option(help: "The server's client-NNN.message.safetensors.") var message: String
        @Option(help: "This node's shards folder (partition.json and at least its client-NNN.safetensors).")
        var shards: String
        @Option(help: "This node's client index.") var client: Int
        @Option(help: "Folder for the state this client keeps between rounds (kept per run ID).") var state: String
        @Option(help: "Reply file to write (atomically; its folder is created if missing).") var reply: String
        @Option(help: "Engine worker threads (default: the run's; another count changes the results).")
        var threads: Int?

        func run() throws {
            let messageURL = URL(fileURLWithPath: message)
            var header = try StepMessage.readHeader(from: messageURL)
            let node = "node with client \(client) (shards \(shards))"
            guard header.codeVersion == FederatedRun.codeVersion else {
                throw StepError("\(node): the message was made by \(header.codeVersion), this node runs "
                                + "\(FederatedRun.codeVersion); install the server's FedNC build on this node")
            }
            guard header.client == client else {
                throw StepError("\(node): the message is for client \(header.client); deliver "
                                + "\(StepMessage.fileName(client: header.client)) to that client's node, or pass "
                                + "--client \(header.client) if this node holds that shard")
            }
            let shardFolder = try ShardFolder(url: URL(fileURLWithPath: shards))
            guard shardFolder.manifestSHA256 == header.partitionSHA256 else {
                throw StepError("\(node): this node's partition.json (SHA-256 \(shardFolder.manifestSHA256)) is not "
                                + "the run's (\(header.partitionSHA256)); point --shards at a copy of the run's partition")
            }
            guard shardFolder.manifest.clients.indices.contains(client),
                  shardFolder.manifest.clients[client].sha256.lowercased() == header.shardSHA256 else {
                throw StepError("\(node): the run expects shard SHA-256 \(header.shardSHA256) for client \(client); "
                                + "this node's partition.json records another; use the run's shards")
            }
            let threadCount = threads ?? header.threads
            if threadCount != header.threads {
                StandardError.write("warning: --threads \(threadCount) differs from the run's \(header.threads); "
                                    + "this client's results will differ from a simulation of the run\n")
                header.threads = threadCount
            }
            try EngineThreadCount.use(threadCount)
            let data = try shardFolder.loadClient(client)
            let clientNode = ClientNode(stateStore: ClientStateStore(folder: URL(fileURLWithPath: state)))
            var stepMessage = try StepMessage.read(from: messageURL,
                                                   layout: try clientNode.layout(for: header.configuration))
            stepMessage.header = header
            let replyURL = URL(fileURLWithPath: reply)
            let answer = try clientNode.step(stepMessage, data: data)
            try FileManager.default.createDirectory(at: replyURL.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try answer.write(to: replyURL)
        }
    }

    struct Identify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print this node's code version, partition SHA-256, client index and shard SHA-256.")

        @Option(help: "This node's shards folder.") var shards: String
        @Option(help: "This node's client index.") var client: Int

        func run() throws {
            let identity = try ClientIdentity(shards: try ShardFolder(url: URL(fileURLWithPath: shards)),
                                              client: client)
            print(try StepJSON.line(identity))
        }
    }
}
