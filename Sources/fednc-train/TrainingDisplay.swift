import CommandSupport
import Federation
import Foundation

/// Progress on standard error: a line per client step redrawn in place on a terminal (round, client, epoch, step,
/// loss, images per second of this client, and an estimate of the round's remaining time), and one line per round
/// (validation metrics, seconds) everywhere.
final class TrainingDisplay {
    let rounds: Int
    let participants: Int
    let localEpochs: Int
    let batchSize: Int
    private var clientsSeen: [Int] = []
    private var lastRound = 0
    private var roundStarted = Date()
    private var clientStarted = Date()
    private var clientImages = 0

    init(rounds: Int, participants: Int, localEpochs: Int, batchSize: Int) {
        self.rounds = rounds
        self.participants = participants
        self.localEpochs = localEpochs
        self.batchSize = batchSize
    }

    func step(_ step: LocalTraining.Step) {
        guard StandardError.isTerminal else { return }
        let now = Date()
        if step.round != lastRound {
            lastRound = step.round
            clientsSeen = []
            roundStarted = now
        }
        if clientsSeen.last != step.client {
            clientsSeen.append(step.client)
            clientStarted = now
            clientImages = 0
        }
        clientImages += batchSize
        let clientSeconds = max(now.timeIntervalSince(clientStarted), 1e-3)
        let clientFraction = (Double(step.epoch - 1) + Double(step.step) / Double(max(step.stepsPerEpoch, 1)))
            / Double(max(localEpochs, 1))
        let roundFraction = (Double(clientsSeen.count - 1) + clientFraction) / Double(max(participants, 1))
        let elapsed = now.timeIntervalSince(roundStarted)
        let remaining = roundFraction > 0 ? elapsed * (1 - roundFraction) / roundFraction : 0
        StandardError.write(String(
            format: "\r\u{1B}[Kround %d/%d  client %d (%d/%d)  epoch %d  step %d/%d  loss %.4f  %.0f img/s  round ETA %@",
            step.round, rounds, step.client, clientsSeen.count, participants, step.epoch, step.step,
            step.stepsPerEpoch, step.loss, Double(clientImages) / clientSeconds, Self.duration(remaining)))
    }

    func roundFinished(_ record: RoundRecord) {
        func percent(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "n/a" }
        let metrics = record.validation
        let loss = record.clients.map(\.meanLoss).reduce(0, +) / Double(max(record.clients.count, 1))
        let line = "round \(record.round)/\(rounds): train loss \(String(format: "%.4f", loss))  validation "
            + "macro-AUC \(percent(metrics.macroAUC))  macro-F1 \(percent(metrics.macroF1))  "
            + "AUC \(percent(metrics.microAUC))  F1 \(percent(metrics.microF1))  "
            + "(\(String(format: "%.1f", record.seconds)) s)"
        StandardError.write((StandardError.isTerminal ? "\r\u{1B}[K" : "") + line + "\n")
    }

    /// `1h02m`, `3m05s` or `12s`.
    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total >= 3600 { return String(format: "%dh%02dm", total / 3600, (total % 3600) / 60) }
        if total >= 60 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return "\(total)s"
    }
}
