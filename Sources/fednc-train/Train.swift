import ArgumentParser
import CommandSupport
import Federation
import Foundation

/// `fednc-train [train] --shards DIR --method M --out RUN [...]`: the whole step loop in one process.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train from a shards folder into a run folder, simulating every client (resumable with --resume).")

    @OptionGroup var options: RunOptions
    @Flag(help: "Continue the run in --out (same flags) from its last checkpoint.") var resume = false

    func run() throws {
        try EngineThreadCount.use(options.threads)
        let (configuration, shardFolder) = try options.configuration()
        let run = FederatedRun(configuration: configuration, shards: shardFolder,
                               runURL: URL(fileURLWithPath: options.out))
        let centralized = !(try configuration.methodType().isFederated)
        let clientCount = shardFolder.manifest.clients.count
        let display = TrainingDisplay(rounds: options.rounds, participants: centralized ? 1
                                      : max(1, Int((options.participation * Double(clientCount)).rounded())),
                                      localEpochs: options.localEpochs, batchSize: options.batchSize)
        let notice = InterruptNotice(arguments: CommandLine.arguments, runFolder: URL(fileURLWithPath: options.out))
        defer { withExtendedLifetime(notice) {} }
        guard let report = try run.train(resume: resume, progress: display.step, roundFinished: display.roundFinished)
        else { return }
        print(report.markdown)
    }
}
