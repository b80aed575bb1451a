import ArgumentParser
import CommandSupport

/// `fednc-train`: simulates federated training from client shards into a run folder, and evaluates runs.
@main
struct FedNCTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fednc-train",
        abstract: "Federated multi-label training: FedNCAlign-ML and the baselines, simulated on one machine.",
        subcommands: [Train.self, Evaluate.self],
        defaultSubcommand: Train.self)

    static func main() { runMain() }
}
