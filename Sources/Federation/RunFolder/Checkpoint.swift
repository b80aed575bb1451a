import Foundation
import NeuralNet
import Safetensors

/// The resumable state of a run, in `RUN/checkpoint/`:
///
/// - `model.safetensors`: the global model after the last completed round (F32, torchvision names);
/// - `best-model.safetensors`: the global model after the best validation round;
/// - `algorithm-state.safetensors`: the algorithm's sets (SCAFFOLD's control variates, FedCurv's Fisher terms),
///   tensor `<set>::<entry>`, the set names listed in metadata key `sets` (JSON array);
/// - `state.json`: completed rounds, best round and every round's record.
///
/// A new checkpoint is written to `checkpoint.partial/`, then swapped in by two renames (the old one passes
/// through `checkpoint.previous/`), so a run killed at any moment leaves one complete checkpoint behind.
public enum Checkpoint {
    static let folderName = "checkpoint"
    static let partialName = "checkpoint.partial"
    static let previousName = "checkpoint.previous"

    struct StateFile: Codable {
        var completedRounds: Int
        var bestRound: Int
        var history: [RoundRecord]
    }

    /// Writes the checkpoint of `snapshot` into `run`.
    public static func write(_ snapshot: RunSnapshot, algorithmState: [String: ParameterSet],
                             to run: URL) throws(CheckpointError) {
        let manager = FileManager.default
        let partial = run.appendingPathComponent(partialName)
        let current = run.appendingPathComponent(folderName)
        let previous = run.appendingPathComponent(previousName)
        do {
            try? manager.removeItem(at: partial)
            try manager.createDirectory(at: partial, withIntermediateDirectories: true)
            try Safetensors.write(tensors: snapshot.globalState.tensors(),
                                  to: partial.appendingPathComponent("model.safetensors"))
            try Safetensors.write(tensors: snapshot.bestState.tensors(),
                                  to: partial.appendingPathComponent("best-model.safetensors"))
            var algorithmTensors = [String: TensorData]()
            for (name, set) in algorithmState { algorithmTensors.merge(set.tensors(prefix: name + "::")) { a, _ in a } }
            let setNames = String(decoding: try JSONEncoder().encode(algorithmState.keys.sorted()), as: UTF8.self)
            try Safetensors.write(tensors: algorithmTensors, metadata: ["sets": setNames],
                                  to: partial.appendingPathComponent("algorithm-state.safetensors"))
            let state = StateFile(completedRounds: snapshot.completedRounds, bestRound: snapshot.bestRound,
                                  history: snapshot.history)
            try RunJSON.encoder.encode(state).write(to: partial.appendingPathComponent("state.json"))
            if manager.fileExists(atPath: current.path) {
                try? manager.removeItem(at: previous)
                try manager.moveItem(at: current, to: previous)
            }
            try manager.moveItem(at: partial, to: current)
            try? manager.removeItem(at: previous)
        } catch {
            throw .unreadable(file: partial.path, reason: "writing the checkpoint failed: \(error)")
        }
    }

    /// True when `run` holds a checkpoint (possibly one left in `checkpoint.previous/` by a kill mid-swap).
    public static func exists(in run: URL) -> Bool {
        locate(in: run) != nil
    }

    /// Reads the checkpoint in `run` into sets with `layout`'s entries.
    public static func read(from run: URL, layout: ParameterSet)
        throws(CheckpointError) -> (snapshot: RunSnapshot, algorithmState: [String: ParameterSet]) {
        guard let folder = locate(in: run) else { throw .missing(file: run.appendingPathComponent(folderName).path) }
        let stateURL = folder.appendingPathComponent("state.json")
        let state = try RunJSON.read(StateFile.self, from: stateURL)
        let global = try ParameterSet.load(from: open(folder.appendingPathComponent("model.safetensors")),
                                           layout: layout)
        let best = try ParameterSet.load(from: open(folder.appendingPathComponent("best-model.safetensors")),
                                         layout: layout)
        let algorithmFile = try open(folder.appendingPathComponent("algorithm-state.safetensors"))
        guard let setNames = try? JSONDecoder().decode([String].self, from: Data((algorithmFile.metadata["sets"] ?? "").utf8))
        else { throw .damaged(file: algorithmFile.url.path, reason: "metadata 'sets' is not a JSON list of names") }
        var algorithmState = [String: ParameterSet]()
        for name in setNames {
            algorithmState[name] = try ParameterSet.load(from: algorithmFile, layout: layout, prefix: name + "::")
        }
        let snapshot = RunSnapshot(completedRounds: state.completedRounds, globalState: global,
                                          bestRound: state.bestRound, bestState: best, history: state.history)
        return (snapshot, algorithmState)
    }

    /// Reads only the best model (for `fednc-train evaluate`).
    public static func readBestModel(from run: URL, layout: ParameterSet) throws(CheckpointError) -> ParameterSet {
        guard let folder = locate(in: run) else { throw .missing(file: run.appendingPathComponent(folderName).path) }
        return try ParameterSet.load(from: open(folder.appendingPathComponent("best-model.safetensors")), layout: layout)
    }

    private static func locate(in run: URL) -> URL? {
        for name in [folderName, previousName] {
            let folder = run.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("state.json").path) { return folder }
        }
        return nil
    }

    private static func open(_ url: URL) throws(CheckpointError) -> SafetensorsFile {
        do {
            return try SafetensorsFile(contentsOf: url)
        } catch {
            throw .damagedTensors(error.description)  // the Safetensors text names the file already
        }
    }
}
