import CommandSupport
import Federation
import Foundation

/// Progress on standard error: a line per client step redrawn in place on a terminal, and one line per round
/// (validation metrics, seconds) everywhere.
final class TrainingDisplay {
    let rounds: Int
    let participants: Int
    private var clientsSeen: [Int] = []
    private var lastRound = 0

    init(rounds: Int, participants: Int) {
        self.rounds = rounds
        self.participants = participants
    }

    func step(_ step: LocalTraining.Step) {
        guard StandardError.isTerminal else { return }
        if step.round != lastRound {
            lastRound = step.round
            clientsSeen = []
        }
        if clientsSeen.last != step.client { clientsSeen.append(step.client) }
        StandardError.write(String(format: "\r\u{1B}[Kround %d/%d  client %d (%d/%d)  epoch %d  step %d/%d  loss %.4f",
                                   step.round, rounds, step.client, clientsSeen.count, participants, step.epoch,
                                   step.step, step.stepsPerEpoch, step.loss))
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
}
