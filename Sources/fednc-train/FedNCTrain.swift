import ArgumentParser
import CommandSupport

/// `fednc-train`: federated training from client shards into a run folder - simulated in one process (`train`),
/// or one step per process (`server ...`, `client ...`) for a real federation - and evaluation of runs.
@main
struct FedNCTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fednc-train",
        abstract: "Federated multi-label training: FedNCAlign-ML and the baselines.",
        subcommands: [Train.self, Evaluate.self, ServerCommand.self, ClientCommand.self],
        defaultSubcommand: Train.self)

    static func main() { runMain() }
}
