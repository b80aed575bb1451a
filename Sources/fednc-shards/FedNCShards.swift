import ArgumentParser
import CommandSupport

/// `fednc-shards`: client shards of a prepared dataset (partition.md): write them, show their class histogram,
/// verify them against their manifest, inspect any safetensors file.
@main
struct FedNCShards: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fednc-shards",
        abstract: "Partition a prepared dataset into client shards, and inspect or verify shards.",
        subcommands: [PartitionCommand.self, HistogramCommand.self, VerifyCommand.self, InspectCommand.self,
                      LeftoversCommand.self])

    static func main() {
        InterruptCleanup.install()
        runMain()
    }
}
