import ArgumentParser
import Federation
import Foundation

/// `--run DIR`: the run folder `server start` wrote, shared by `server plan`, `collect` and `identify`.
struct ServerRunOption: ParsableArguments {
    @Option(name: .customLong("run"), help: "Run folder written by `server start`.") var runFolder: String

    var url: URL { URL(fileURLWithPath: runFolder) }

    /// Opens the run with the engine set to its recorded thread count.
    func open() throws -> RunServer {
        try EngineThreadCount.use(try FederatedRun.readConfiguration(from: url).threads)
        return try RunServer.open(url)
    }
}
